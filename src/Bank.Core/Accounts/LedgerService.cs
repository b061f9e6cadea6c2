using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bank.Core.Accounts;

/// <summary>
/// Credit, debit and transfer (SPEC §4). Each movement is one database transaction made of conditional updates
/// (<see cref="LedgerSql"/>; never read-modify-write in C#), the transaction record, its entries (summing to zero) and,
/// when the caller sent one, the idempotency key. Customer accounts are updated in id order and the bank's cash account
/// last, so two movements never wait for each other in a circle.
/// </summary>
public sealed partial class LedgerService(
    BankDbContext db,
    WriteGate gate,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<BankOptions> bank,
    IBalanceUpdates balanceUpdates,
    IServiceProvider services,
    BankMetrics metrics,
    ILogger<LedgerService> logger)
{
    /// <summary>Internal: the idempotency key was committed by another request meanwhile (never leaves this class).</summary>
    private static readonly FailureType KeyTaken = new("idempotency-key-taken", "Idempotency-Key taken.", FailureKind.Conflict);

    /// <summary>Internal: a refused update's reason no longer held when read; the movement is run again (never leaves this class).</summary>
    private static readonly FailureType StateChanged = new("state-changed", "The account changed.", FailureKind.Conflict);

    private const int MaxAttempts = 3;

    /// <summary>
    /// A movement's accounts: the customer's own and the one named (the recipient, or the preferred cash account), each
    /// with its owner's name; compiled once, not translated for every movement. The owner comes by a join on the key (a
    /// subquery projecting two columns becomes a window over every user).
    /// </summary>
    private static readonly CompiledQuery<Func<BankDbContext, long, string, IAsyncEnumerable<AccountRow>>> AccountsOf = new(() => EF.CompileAsyncQuery(
        (BankDbContext db, long me, string counter) =>
            from a in db.Accounts.AsNoTracking()
            where (a.UserId == me && a.Kind == AccountKind.Customer) || a.AccountNumber == counter
            from u in db.Users.Where(u => u.Id == a.UserId).DefaultIfEmpty()
            select new AccountRow(a.Id, a.AccountNumber, a.UserId, a.Kind, u == null ? null : u.FirstName, u == null ? null : u.LastName)));

    /// <summary>Moves money for the signed-in customer: deposit (credit), withdrawal (debit) or transfer to another customer.</summary>
    public async Task<Result<MoneyMoved>> MoveAsync(Actor actor, MoneyOrder order, CancellationToken ct)
    {
        if (actor.Role != Role.Customer)
        {
            return Failure.Forbidden("Only customers move money, and only from their own account.");
        }

        if (!Check(order).TryGet(out var valid, out var invalid))
        {
            return invalid;
        }

        // A repeated Idempotency-Key is found by the movement itself, which claims the key first in its transaction (one
        // round trip fewer for every new key than looking first): the claim fails, nothing moves, and the earlier answer is read.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // On SQLite the movement joins the group commit: it runs on the group's own LedgerService and context.
                var result = await gate.WriteGroupedAsync(db, services,
                    (unit, token) => unit.GetRequiredService<LedgerService>().MoveInTransactionAsync(actor, valid, token), ct);
                if (result.TryGet(out var movement, out var refused))
                {
                    metrics.MoneyMoved(valid.Type);
                    await PublishAsync(movement.Updates);
                    return Result.Ok(new MoneyMoved(movement.Line, Replayed: false));
                }

                if (refused.Type == KeyTaken)
                {
                    // A request with this key committed first (just now, or long ago): answer as it did; this one moved nothing.
                    return await ReplayAsync(actor.UserId, valid, ct) ?? LedgerFailures.IdempotencyConflict();
                }

                if (refused.Type != StateChanged)
                {
                    return refused;
                }

                if (attempt >= MaxAttempts)
                {
                    return LedgerFailures.ChangedMeanwhile("The account kept changing while this ran; nothing moved. Please try again.");
                }
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException && DbErrors.IsUniqueViolation(ex, out _) && attempt < MaxAttempts)
            {
                // A transaction id collided (about 1 in 2^62): draw a new one.
            }
        }
    }

    /// <summary>A checked order; <paramref name="Hash"/> (of its meaning) only when it carries an Idempotency-Key.</summary>
    private sealed record ValidOrder(TransactionType Type, long AmountPaise, string? ToAccountNumber, string? Narration, string? Key, string? Hash, Channel Channel);

    /// <summary>One account's side of a movement: a signed amount (positive adds to the balance).</summary>
    private sealed record Posting(long AccountId, string AccountNumber, long? UserId, long DeltaPaise, string? FirstName = null, string? LastName = null)
    {
        /// <summary>A customer's account (the bank's own has no owner).</summary>
        public bool Customer => UserId is not null;
    }

    /// <summary>An account a movement reads, with its owner's name (none for the bank's own).</summary>
    private sealed record AccountRow(long Id, string AccountNumber, long? UserId, AccountKind Kind, string? FirstName, string? LastName);

    private sealed record Movement(TransactionLine Line, IReadOnlyList<BalanceUpdate> Updates);

    private Result<ValidOrder> Check(MoneyOrder order)
    {
        if (!EnumText.TryParse<TransactionType>(order.Type, out var type))
        {
            return Failure.Validation("type", EnumText.MustBeOneOf<TransactionType>());
        }

        if (order.Amount is not { } rupees)
        {
            return LedgerFailures.InvalidAmount("Must be a number of rupees, for example 1500.50.");
        }

        if (!Rupees.TryToPaise(rupees, out var paise, out var problem))
        {
            return LedgerFailures.InvalidAmount(problem!);
        }

        if (paise > bank.Value.PerTransactionLimitPaise)
        {
            return LedgerFailures.LimitExceeded(bank.Value.PerTransactionLimitPaise);
        }

        var errors = new FieldErrors();
        var narration = string.IsNullOrWhiteSpace(order.Narration) ? null : order.Narration.Trim();
        if (narration is { Length: > LedgerTransaction.NarrationMaxLength })
        {
            errors.Add("narration", $"Must be at most {LedgerTransaction.NarrationMaxLength} characters.");
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
        if (key is not null && (key.Length is 0 or > IdempotencyRecord.KeyMaxLength || key.Any(c => c is < '!' or > '~')))
        {
            errors.Add("Idempotency-Key", $"Must be 1 to {IdempotencyRecord.KeyMaxLength} visible ASCII characters (a UUID is a good choice).");
        }

        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        if (to is not null && !AccountNumber.IsValid(to))
        {
            return LedgerFailures.InvalidAccountNumber();
        }

        // The request's meaning, not its bytes: the same order sent with other spacing or field order is the same request.
        var meaning = string.Join('\u001f', type.ToString(), paise.ToString(CultureInfo.InvariantCulture), to ?? "", narration ?? "");
        var hash = key is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(meaning)));
        return Result.Ok(new ValidOrder(type, paise, to, narration, key, hash, order.Channel));
    }

    private async Task<Result<Movement>> MoveInTransactionAsync(Actor actor, ValidOrder order, CancellationToken ct)
    {
        // Microseconds: what PostgreSQL keeps, so that an answer and its later replay from the database are identical.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        var transactionId = TransactionIds.New();
        if (order.Key is not null && !await LedgerSql.ClaimKeyAsync(db, actor.UserId, order.Key, order.Hash!, transactionId, now, ct))
        {
            return KeyTaken.Because("The Idempotency-Key is taken.");
        }

        // Both accounts in one read: the customer's own, and the other side (the recipient, or the bank's cash account
        // preferred for this customer: one of several, so that deposits and withdrawals do not all queue on one row).
        var me = actor.UserId.Value;
        var counter = order.ToAccountNumber ?? BankAccounts.CashAccountFor(actor.UserId);
        var accounts = new List<AccountRow>(2);
        await foreach (var account in AccountsOf.For(db)(db, me, counter).WithCancellation(ct))
        {
            accounts.Add(account);
        }

        var own = accounts.FirstOrDefault(a => a.UserId == me && a.Kind == AccountKind.Customer);
        if (own is null)
        {
            return Failure.NotFound("You have no account to move money from.");
        }

        var other = accounts.FirstOrDefault(a => a.AccountNumber == counter);
        var postings = new List<Posting>(2);
        if (order.Type == TransactionType.Transfer)
        {
            if (other is not { Kind: AccountKind.Customer })
            {
                return LedgerFailures.CannotReceive();
            }

            if (other.Id == own.Id)
            {
                return LedgerFailures.SameAccount();
            }

            postings.Add(new Posting(own.Id, own.AccountNumber, me, -order.AmountPaise, own.FirstName, own.LastName));
            postings.Add(new Posting(other.Id, other.AccountNumber, other.UserId, order.AmountPaise, other.FirstName, other.LastName));
        }
        else
        {
            var cash = other ?? throw new InvalidOperationException("The bank's cash account is missing.");
            var delta = order.Type == TransactionType.Credit ? order.AmountPaise : -order.AmountPaise;
            postings.Add(new Posting(own.Id, own.AccountNumber, me, delta));
            postings.Add(new Posting(cash.Id, cash.AccountNumber, null, -delta));
        }

        // Lock order: customer accounts by id, the bank's own account last. The updates and the transaction's record go
        // together (one round trip on PostgreSQL, where every round trip from here on is made holding the rows' locks).
        postings.Sort((a, b) => a.Customer != b.Customer ? (a.Customer ? -1 : 1) : a.AccountId.CompareTo(b.AccountId));
        var statements = postings.Select(p => p.Customer
                ? LedgerSql.Apply(db, p.AccountId, p.DeltaPaise, now)
                : LedgerSql.ApplyToCash(db, p.AccountId, p.DeltaPaise, now))
            .Append(LedgerSql.InsertTransaction(db, transactionId, order.Type, order.AmountPaise, order.Narration, actor.UserId.Value, order.Channel, now))
            .ToList();
        var rows = await Sql.BatchAsync(db, statements, ct);
        var ownPosting = postings.First(p => p.AccountId == own.Id);
        var ownRefused = rows[postings.IndexOf(ownPosting)].Count == 0;
        var balances = new Dictionary<long, long>();
        for (var i = 0; i < postings.Count; i++)
        {
            var posting = postings[i];
            if (!posting.Customer)
            {
                // The bank's side, last: the cash account that took it may be another than the one read (see ApplyToCash).
                var (cashId, cashNumber, cashBalance) = rows[i] is [var row]
                    ? LedgerSql.CashRow(row)
                    : await LedgerSql.ApplyToHeldCashAsync(db, posting.AccountId, posting.DeltaPaise, now, ct);
                postings[i] = posting with { AccountId = cashId, AccountNumber = cashNumber };
                balances[cashId] = cashBalance;
                continue;
            }

            if (rows[i] is not [var updated])
            {
                // Whatever the lock order, the sender's own reason (if any) is the one reported; the sender's account is
                // as it was when its own update was refused too (otherwise its update holds and it has no reason).
                if (posting != ownPosting && ownRefused && await WhyRefusedAsync(ownPosting, recipient: false, ct) is { } senderReason)
                {
                    return senderReason;
                }

                // No condition fails any more: another movement or status change committed in between (PostgreSQL's
                // statement snapshot is newer than the update's). Roll back and run the whole movement again.
                return await WhyRefusedAsync(posting, recipient: posting != ownPosting, ct)
                    ?? StateChanged.Because("The account changed while the movement ran.");
            }

            balances[posting.AccountId] = Convert.ToInt64(updated[0], CultureInfo.InvariantCulture);
        }

        // The other customer of a transfer (none for a deposit or a withdrawal, whose other side is the bank).
        Posting? CounterpartyOf(Posting p) => p.Customer ? postings.FirstOrDefault(q => q.Customer && q != p) : null;
        var recordId = Convert.ToInt64(rows[^1].Single()[0], CultureInfo.InvariantCulture);
        db.LedgerEntries.AddRange(postings.Select(p => new LedgerEntry
        {
            LedgerTransactionId = recordId,
            AccountId = p.AccountId,
            UserId = p.UserId,
            Type = order.Type,
            AmountPaise = p.DeltaPaise,
            BalanceAfterPaise = balances[p.AccountId],
            CounterpartyAccountId = CounterpartyOf(p)?.AccountId,
            CreatedAt = now,
        }));
        var recipient = postings.FirstOrDefault(p => p.Customer && p != ownPosting);
        audit.Record(actor, AuditActions.MoneyMoved, actor.UserId.Value,
            $"{transactionId} {order.Type.Name()} {Rupees.Plain(order.AmountPaise)}" + (recipient is null ? "" : $" to {recipient.AccountNumber}"));

        // Each customer's line as they would read it back from their statement (one shape, one mapping: LineRow.ToLine).
        var updates = postings.Where(p => p.Customer).Select(p => new BalanceUpdate(new UserId(p.UserId!.Value), Rupees.FromPaise(balances[p.AccountId]), new LineRow
        {
            CreatedAt = now,
            TransactionId = transactionId,
            Type = order.Type,
            AmountPaise = p.DeltaPaise,
            BalanceAfterPaise = balances[p.AccountId],
            AccountNumber = p.AccountNumber,
            UserId = p.UserId,
            CounterpartyAccountNumber = CounterpartyOf(p)?.AccountNumber,
            CounterpartyFirstName = CounterpartyOf(p)?.FirstName,
            CounterpartyLastName = CounterpartyOf(p)?.LastName,
            Narration = order.Narration,
            InitiatedByUserId = actor.UserId.Value,
            Channel = order.Channel,
        }.ToLine(staffView: false))).ToList();
        return Result.Ok(new Movement(updates.Single(u => u.UserId == actor.UserId).Line, updates));
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
            _ when recipient && (state.Status != AccountStatus.Active || state.Owner != UserStatus.Active) => LedgerFailures.CannotReceive(),
            AccountStatus.Closed => LedgerFailures.Closed(),
            AccountStatus.Frozen => LedgerFailures.Frozen(),
            _ when state.Owner != UserStatus.Active => LedgerFailures.CustomerNotActive(),
            _ when state.BalancePaise + posting.DeltaPaise < 0 => LedgerFailures.InsufficientFunds(),
            _ => null,
        };
    }

    /// <summary>The stored answer for a repeated Idempotency-Key, a conflict when the key came with another request, or null when the key is new.</summary>
    private async Task<Result<MoneyMoved>?> ReplayAsync(UserId userId, ValidOrder order, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .Where(r => r.UserId == userId.Value && r.Key == order.Key)
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

        var row = await LineRow.Query(db, db.LedgerEntries.Where(e => e.UserId == userId.Value
                && e.LedgerTransactionId == db.LedgerTransactions.Where(t => t.TransactionId == record.TransactionId).Select(t => t.Id).FirstOrDefault()))
            .FirstAsync(ct);
        return Result.Ok(new MoneyMoved(row.ToLine(staffView: false), Replayed: true));
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
}
