using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bank.Core.Accounts;

/// <summary>
/// Credit, debit and transfer (SPEC §4). Each movement is one database transaction made of conditional updates
/// (never read-modify-write in C#), the transaction record, its entries (summing to zero) and, when the caller sent
/// one, the idempotency key. Customer accounts are updated in id order and the bank's cash account last, so two
/// movements never wait for each other in a circle.
/// </summary>
public sealed partial class LedgerService(
    BankDbContext db,
    WriteGate gate,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<BankOptions> bank,
    IBalanceUpdates balanceUpdates,
    ILogger<LedgerService> logger)
{
    public const int NarrationMaxLength = 140;
    public const int IdempotencyKeyMaxLength = 255;

    /// <summary>Internal: the idempotency key was committed by another request meanwhile (never leaves this class).</summary>
    private const string KeyTaken = "idempotency-key-taken";

    /// <summary>Internal: a refused update's reason no longer held when read; the movement is run again (never leaves this class).</summary>
    private const string StateChanged = "state-changed";

    private const int MaxAttempts = 3;

    private const string ActiveOwner = "status = 'Active' AND EXISTS (SELECT 1 FROM users WHERE users.id = accounts.user_id AND users.status = 'Active')";

    private const string TakeSql =
        "UPDATE accounts SET balance_paise = balance_paise - @amount, last_transaction_at = @now " +
        "WHERE id = @id AND balance_paise >= @amount AND " + ActiveOwner + " RETURNING balance_paise";

    private const string GiveSql =
        "UPDATE accounts SET balance_paise = balance_paise + @amount, last_transaction_at = @now " +
        "WHERE id = @id AND " + ActiveOwner + " RETURNING balance_paise";

    private const string BookSql =
        "UPDATE accounts SET balance_paise = balance_paise + @amount, last_transaction_at = @now WHERE id = @id RETURNING balance_paise";

    /// <summary>Moves money for the signed-in customer: deposit (credit), withdrawal (debit) or transfer to another customer.</summary>
    public async Task<Result<MoneyMoved>> MoveAsync(Actor actor, MoneyOrder order, CancellationToken ct)
    {
        if (actor.Role != Role.Customer)
        {
            return Failure.Forbidden("Only customers move money, and only from their own account.");
        }

        var checkedOrder = Check(order);
        if (checkedOrder.Failure is { } invalid)
        {
            return invalid;
        }

        var valid = checkedOrder.Value!;
        if (valid.Key is not null && await ReplayAsync(actor.UserId, valid, ct) is { } earlier)
        {
            return earlier;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await gate.WriteAsync<Movement>(db, token => MoveInTransactionAsync(actor, valid, token), ct);
                if (result.Failure is { Code: KeyTaken })
                {
                    // Another request with this key committed first: answer as it did; this one moved nothing.
                    return await ReplayAsync(actor.UserId, valid, ct) ?? LedgerFailures.IdempotencyConflict();
                }

                if (result.Failure is { Code: StateChanged } && attempt < MaxAttempts)
                {
                    continue;
                }

                if (result.Failure is { } refused)
                {
                    return refused.Code == StateChanged
                        ? new Failure(FailureCodes.Conflict, "The account kept changing while this ran; nothing moved. Please try again.")
                        : refused;
                }

                await PublishAsync(result.Value!.Updates);
                return Result<MoneyMoved>.Ok(new MoneyMoved(result.Value.Line, Replayed: false));
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex, out _))
            {
                if (attempt >= MaxAttempts)
                {
                    throw;
                }

                // A transaction id collided (about 1 in 2^62): draw a new one.
            }
        }
    }

    private sealed record ValidOrder(TransactionType Type, long AmountPaise, string? ToAccountNumber, string? Narration, string? Key, string Hash, Channel Channel);

    private sealed record Posting(long AccountId, string AccountNumber, long? UserId, long AmountPaise, bool Customer, bool NeedsFunds);

    private sealed record Movement(TransactionLine Line, IReadOnlyList<BalanceUpdate> Updates);

    private Result<ValidOrder> Check(MoneyOrder order)
    {
        TransactionType type;
        switch (order.Type?.Trim().ToLowerInvariant())
        {
            case "credit": type = TransactionType.Credit; break;
            case "debit": type = TransactionType.Debit; break;
            case "transfer": type = TransactionType.Transfer; break;
            default:
                return Failure.Validation("type", "Must be one of credit, debit, transfer.");
        }

        if (order.Amount is not { } rupees)
        {
            return LedgerFailures.InvalidAmount("Must be a number of rupees, for example 1500.50.");
        }

        if (!Money.Money.TryToPaise(rupees, out var paise, out var problem))
        {
            return LedgerFailures.InvalidAmount(problem!);
        }

        var limit = (long)(bank.Value.PerTransactionLimit * Money.Money.PaisePerRupee);
        if (paise > limit)
        {
            return LedgerFailures.LimitExceeded(limit);
        }

        var errors = new FieldErrors();
        var narration = string.IsNullOrWhiteSpace(order.Narration) ? null : order.Narration.Trim();
        if (narration is { Length: > NarrationMaxLength })
        {
            errors.Add("narration", $"Must be at most {NarrationMaxLength} characters.");
        }
        else if (narration is not null && narration.Any(char.IsControl))
        {
            errors.Add("narration", "Must be one line of text without control characters.");
        }

        var to = string.IsNullOrWhiteSpace(order.ToAccountNumber) ? null : order.ToAccountNumber.Trim();
        if (type == TransactionType.Transfer && to is null)
        {
            errors.Add("toAccountNumber", "Is required for a transfer.");
        }
        else if (type != TransactionType.Transfer && to is not null)
        {
            errors.Add("toAccountNumber", "Is only for transfers; leave it out for a deposit or a withdrawal.");
        }

        var key = order.IdempotencyKey;
        if (key is not null && (key.Length is 0 or > IdempotencyKeyMaxLength || key.Any(c => c is < '!' or > '~')))
        {
            errors.Add("Idempotency-Key", $"Must be 1 to {IdempotencyKeyMaxLength} visible ASCII characters (a UUID is a good choice).");
        }

        if (errors.Any)
        {
            return Failure.Validation(errors.ToDictionary());
        }

        if (to is not null && !AccountNumber.IsValid(to))
        {
            return LedgerFailures.InvalidAccountNumber();
        }

        // The request's meaning, not its bytes: the same order sent with other spacing or field order is the same request.
        var meaning = string.Join('\u001f', type.ToString(), paise.ToString(CultureInfo.InvariantCulture), to ?? "", narration ?? "");
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(meaning)));
        return Result<ValidOrder>.Ok(new ValidOrder(type, paise, to, narration, key, hash, order.Channel));
    }

    private async Task<Result<Movement>> MoveInTransactionAsync(Actor actor, ValidOrder order, CancellationToken ct)
    {
        // Microseconds: what PostgreSQL keeps, so that an answer and its later replay from the database are identical.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        var transactionId = TransactionIds.New();
        if (order.Key is not null)
        {
            // Written first. A second request with this key waits here until the first commits (PostgreSQL) or is serialised
            // behind it (SQLite), inserts nothing, and answers with the first request's result; it moves no money.
            var inserted = await Sql.Int64OrNullAsync(db,
                "INSERT INTO idempotency_records (user_id, \"key\", request_hash, transaction_id, created_at) " +
                "VALUES (@user, @key, @hash, @transaction, @now) ON CONFLICT DO NOTHING RETURNING user_id",
                ct, ("@user", actor.UserId), ("@key", order.Key), ("@hash", order.Hash), ("@transaction", transactionId), ("@now", Sql.Timestamp(db, now)));
            if (inserted is null)
            {
                return new Failure(KeyTaken, "The Idempotency-Key is taken.");
            }
        }

        var own = await db.Accounts.AsNoTracking()
            .Where(a => a.UserId == actor.UserId && a.Kind == AccountKind.Customer)
            .Select(a => new { a.Id, a.AccountNumber })
            .FirstOrDefaultAsync(ct);
        if (own is null)
        {
            return Failure.NotFound("You have no account to move money from.");
        }

        var postings = new List<Posting>(2);
        long? counterpartyOfOwn = null;
        long? counterpartyOfOther = null;
        switch (order.Type)
        {
            case TransactionType.Credit:
            case TransactionType.Debit:
                var cash = await db.Accounts.AsNoTracking()
                    .Where(a => a.AccountNumber == BankAccounts.CashAccountNumber)
                    .Select(a => new { a.Id, a.AccountNumber })
                    .FirstAsync(ct);
                var sign = order.Type == TransactionType.Credit ? 1 : -1;
                postings.Add(new Posting(own.Id, own.AccountNumber, actor.UserId, sign * order.AmountPaise, Customer: true, NeedsFunds: sign < 0));
                postings.Add(new Posting(cash.Id, cash.AccountNumber, null, -sign * order.AmountPaise, Customer: false, NeedsFunds: false));
                break;
            case TransactionType.Transfer:
                var other = await db.Accounts.AsNoTracking()
                    .Where(a => a.AccountNumber == order.ToAccountNumber && a.Kind == AccountKind.Customer)
                    .Select(a => new { a.Id, a.AccountNumber, a.UserId })
                    .FirstOrDefaultAsync(ct);
                if (other is null)
                {
                    return LedgerFailures.UnknownAccount();
                }

                if (other.Id == own.Id)
                {
                    return LedgerFailures.SameAccount();
                }

                counterpartyOfOwn = other.Id;
                counterpartyOfOther = own.Id;
                postings.Add(new Posting(own.Id, own.AccountNumber, actor.UserId, -order.AmountPaise, Customer: true, NeedsFunds: true));
                postings.Add(new Posting(other.Id, other.AccountNumber, other.UserId, order.AmountPaise, Customer: true, NeedsFunds: false));
                break;
        }

        // Lock order: customer accounts by id, the bank's own account last.
        postings.Sort((a, b) => a.Customer != b.Customer ? (a.Customer ? -1 : 1) : a.AccountId.CompareTo(b.AccountId));
        var stamp = Sql.Timestamp(db, now);
        var balances = new Dictionary<long, long>();
        foreach (var posting in postings)
        {
            var sql = !posting.Customer ? BookSql : posting.AmountPaise < 0 ? TakeSql : GiveSql;
            var after = await Sql.Int64OrNullAsync(db, sql, ct,
                ("@amount", posting.Customer ? Math.Abs(posting.AmountPaise) : posting.AmountPaise), ("@now", stamp), ("@id", posting.AccountId));
            if (after is not { } balance)
            {
                // Whatever the lock order, the sender's own reason (if any) is the one reported.
                var ownPosting = postings.First(p => p.AccountId == own.Id);
                if (posting != ownPosting && !balances.ContainsKey(own.Id) && await WhyRefusedAsync(ownPosting, recipient: false, ct) is { } senderReason)
                {
                    return senderReason;
                }

                // No condition fails any more: another movement or status change committed in between (PostgreSQL's
                // statement snapshot is newer than the update's). Roll back and run the whole movement again.
                return await WhyRefusedAsync(posting, recipient: posting.AccountId != own.Id, ct)
                    ?? new Failure(StateChanged, "The account changed while the movement ran.");
            }

            balances[posting.AccountId] = balance;
        }

        var transaction = new LedgerTransaction
        {
            TransactionId = transactionId,
            Type = order.Type,
            AmountPaise = order.AmountPaise,
            Narration = order.Narration,
            InitiatedByUserId = actor.UserId,
            Channel = order.Channel,
            CreatedAt = now,
            Entries = postings.Select(p => new LedgerEntry
            {
                AccountId = p.AccountId,
                UserId = p.UserId,
                Type = order.Type,
                AmountPaise = p.AmountPaise,
                BalanceAfterPaise = balances[p.AccountId],
                CounterpartyAccountId = p.AccountId == own.Id ? counterpartyOfOwn : p.Customer ? counterpartyOfOther : null,
                CreatedAt = now,
            }).ToList(),
        };
        db.LedgerTransactions.Add(transaction);
        var recipient = postings.FirstOrDefault(p => p.Customer && p.AccountId != own.Id);
        audit.Record(db, actor, AuditActions.MoneyMoved, actor.UserId,
            $"{transactionId} {order.Type.ToString().ToLowerInvariant()} {Money.Money.Plain(order.AmountPaise)}" + (recipient is null ? "" : $" to {recipient.AccountNumber}"));

        // Each customer's line as they would read it back from their statement (one shape, one mapping: LineRow.ToLine).
        var lines = postings.Where(p => p.Customer).Select(p => new BalanceUpdate(p.UserId ?? 0, Money.Money.ToRupees(balances[p.AccountId]), new LineRow
        {
            CreatedAt = now,
            TransactionId = transactionId,
            Type = order.Type,
            AmountPaise = p.AmountPaise,
            BalanceAfterPaise = balances[p.AccountId],
            AccountNumber = p.AccountNumber,
            UserId = p.UserId,
            CounterpartyAccountNumber = postings.FirstOrDefault(q => q.Customer && q.AccountId != p.AccountId)?.AccountNumber,
            Narration = order.Narration,
            InitiatedByUserId = actor.UserId,
            Channel = order.Channel,
        }.ToLine(staffView: false))).ToList();
        return Result<Movement>.Ok(new Movement(lines.Single(l => l.UserId == actor.UserId).Line, lines));
    }

    /// <summary>Which condition of a posting does not hold (nothing has changed; the transaction rolls back), or null when all hold.</summary>
    private async Task<Failure?> WhyRefusedAsync(Posting posting, bool recipient, CancellationToken ct)
    {
        var state = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == posting.AccountId)
            .Select(a => new { a.Status, a.BalancePaise, Owner = db.Users.Where(u => u.Id == a.UserId).Select(u => (UserStatus?)u.Status).FirstOrDefault() })
            .FirstAsync(ct);
        return state.Status switch
        {
            AccountStatus.Closed => LedgerFailures.Closed(recipient),
            AccountStatus.Frozen => LedgerFailures.Frozen(recipient),
            _ when state.Owner != UserStatus.Active => recipient ? LedgerFailures.RecipientNotActive() : LedgerFailures.CustomerNotActive(),
            _ when posting.NeedsFunds && state.BalancePaise < -posting.AmountPaise => LedgerFailures.InsufficientFunds(),
            _ => null,
        };
    }

    /// <summary>The stored answer for a repeated Idempotency-Key, a conflict when the key came with another request, or null when the key is new.</summary>
    private async Task<Result<MoneyMoved>?> ReplayAsync(long userId, ValidOrder order, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .Where(r => r.UserId == userId && r.Key == order.Key)
            .Select(r => new { r.RequestHash, r.TransactionId })
            .FirstOrDefaultAsync(ct);
        if (record is null)
        {
            return null;
        }

        if (record.RequestHash != order.Hash)
        {
            return LedgerFailures.IdempotencyConflict();
        }

        var row = await Rows(db.LedgerEntries.Where(e => e.UserId == userId
                && e.LedgerTransactionId == db.LedgerTransactions.Where(t => t.TransactionId == record.TransactionId).Select(t => t.Id).FirstOrDefault()))
            .FirstAsync(ct);
        return Result<MoneyMoved>.Ok(new MoneyMoved(row.ToLine(staffView: false), Replayed: true));
    }

    private async Task PublishAsync(IReadOnlyList<BalanceUpdate> updates)
    {
        try
        {
            // The money has moved and is committed; a listener's trouble must not turn that into an error.
            await balanceUpdates.PublishAsync(updates, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a balance update; open pages will catch up on their next load.")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex);

    internal static string TypeName(TransactionType type) => type switch
    {
        TransactionType.Credit => "credit",
        TransactionType.Debit => "debit",
        _ => "transfer",
    };

    /// <summary>Rows for statement lines (customer entries), ready to order and page in SQL.</summary>
    internal IQueryable<LineRow> Rows(IQueryable<LedgerEntry> entries) =>
        from e in entries
        join t in db.LedgerTransactions on e.LedgerTransactionId equals t.Id
        join a in db.Accounts on e.AccountId equals a.Id
        select new LineRow
        {
            EntryId = e.Id,
            CreatedAt = e.CreatedAt,
            TransactionId = t.TransactionId,
            Type = e.Type,
            AmountPaise = e.AmountPaise,
            BalanceAfterPaise = e.BalanceAfterPaise,
            AccountNumber = a.AccountNumber,
            UserId = e.UserId,
            CounterpartyAccountNumber = db.Accounts.Where(c => c.Id == e.CounterpartyAccountId).Select(c => c.AccountNumber).FirstOrDefault(),
            Narration = t.Narration,
            InitiatedByUserId = t.InitiatedByUserId,
            Channel = t.Channel,
        };
}

/// <summary>A statement line as the database returns it (paise, ids), turned into a <see cref="TransactionLine"/> in memory.</summary>
internal sealed class LineRow
{
    public long EntryId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string TransactionId { get; init; } = "";

    public TransactionType Type { get; init; }

    public long AmountPaise { get; init; }

    public long BalanceAfterPaise { get; init; }

    public string AccountNumber { get; init; } = "";

    public long? UserId { get; init; }

    public string? CounterpartyAccountNumber { get; init; }

    public string? Narration { get; init; }

    public long InitiatedByUserId { get; init; }

    public Channel Channel { get; init; }

    /// <summary>The line as its viewer may see it: a customer is not shown another customer's User ID (it is their sign-in name).</summary>
    public TransactionLine ToLine(bool staffView = true) => new(
        TransactionId,
        LedgerService.TypeName(Type),
        AmountPaise > 0 ? TransactionLine.In : TransactionLine.Out,
        Money.Money.ToRupees(Math.Abs(AmountPaise)),
        Money.Money.ToRupees(BalanceAfterPaise),
        AccountNumber,
        UserId?.ToString(CultureInfo.InvariantCulture),
        CounterpartyAccountNumber,
        Narration,
        staffView || InitiatedByUserId == UserId ? InitiatedByUserId.ToString(CultureInfo.InvariantCulture) : null,
        Channel.ToString().ToLowerInvariant(),
        CreatedAt);
}
