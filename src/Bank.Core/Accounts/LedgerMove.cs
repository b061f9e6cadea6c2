using System.Globalization;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Accounts;

/// <summary>
/// One movement's work inside its database transaction, on the context it is handed (the caller's own on PostgreSQL, a
/// group commit's on SQLite: <see cref="WriteGate.WriteGroupedAsync{T}"/>), in three steps: plan (claim the key, read both
/// accounts, the postings in lock order), apply (the conditional updates and the transaction's record in one batch; a
/// refused update's reason by <see cref="MovementRules"/>) and record (the entries, the audit event, each customer's line).
/// </summary>
internal sealed class LedgerMove(BankDbContext db, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Internal: the idempotency key was committed by another request meanwhile (never leaves the ledger).</summary>
    public static readonly FailureType KeyTaken = new("idempotency-key-taken", "Idempotency-Key taken.", FailureKind.Conflict);

    /// <summary>Internal: a refused update's reason no longer held when read; the movement is run again (never leaves the ledger).</summary>
    public static readonly FailureType StateChanged = new("state-changed", "The account changed.", FailureKind.Conflict);

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

    /// <summary>What a movement answers: the initiator's line, and each customer's new balance for their open pages.</summary>
    public sealed record Moved(TransactionLine Line, IReadOnlyList<BalanceUpdate> Updates);

    /// <summary>One account's side of a movement: a signed amount (positive adds to the balance).</summary>
    private sealed record Posting(long AccountId, string AccountNumber, long? UserId, long DeltaPaise, string? FirstName = null, string? LastName = null)
    {
        /// <summary>A customer's account (the bank's own has no owner).</summary>
        public bool Customer => UserId is not null;
    }

    /// <summary>An account a movement reads, with its owner's name (none for the bank's own).</summary>
    private sealed record AccountRow(long Id, string AccountNumber, long? UserId, AccountKind Kind, string? FirstName, string? LastName);

    /// <summary>What will move: the transaction's id and time, the postings in lock order, and the customer's own one among them.</summary>
    private sealed record Plan(string TransactionId, DateTimeOffset Now, List<Posting> Postings, Posting Own);

    /// <summary>What moved: the postings (the bank's side as the cash account that took it), each new balance, the record's id.</summary>
    private sealed record Applied(List<Posting> Postings, Dictionary<long, long> Balances, long RecordId);

    /// <summary>Moves the order's money, or says why not (the transaction then rolls back).</summary>
    public async Task<Result<Moved>> RunAsync(Actor actor, ValidOrder order, CancellationToken ct)
    {
        if (!(await PlanAsync(actor, order, ct)).TryGet(out var plan, out var refused))
        {
            return refused;
        }

        if (!(await ApplyAsync(actor, order, plan, ct)).TryGet(out var applied, out refused))
        {
            return refused;
        }

        return Record(actor, order, plan, applied);
    }

    /// <summary>Claims the Idempotency-Key, reads both accounts in one query and puts the postings in lock order.</summary>
    private async Task<Result<Plan>> PlanAsync(Actor actor, ValidOrder order, CancellationToken ct)
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
            return LedgerFailures.NoAccount();
        }

        var other = accounts.FirstOrDefault(a => a.AccountNumber == counter);
        var postings = new List<Posting>(2);
        if (order.Type == TransactionType.Transfer)
        {
            if (other is not { Kind: AccountKind.Customer } || other.Id == own.Id)
            {
                // No customer account to pay, or the payer's own: refused either way, but the payer's own reasons come
                // first (as at the review), so the payer's state is read on this refused path alone.
                var state = await StateAsync(own.Id, ct);
                return MovementRules.Own(state, -order.AmountPaise, toOwnAccount: other?.Id == own.Id) ?? MovementRules.Payee(canReceive: false)!;
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

        // Lock order: customer accounts by id, the bank's own account last.
        var ownPosting = postings[0];
        postings.Sort((a, b) => a.Customer != b.Customer ? (a.Customer ? -1 : 1) : a.AccountId.CompareTo(b.AccountId));
        return new Plan(transactionId, now, postings, ownPosting);
    }

    /// <summary>
    /// Runs the postings' conditional updates and the transaction's record in one batch (one round trip on PostgreSQL,
    /// where every round trip from here on is made holding the rows' locks), in lock order; the new balances, or why not.
    /// </summary>
    private async Task<Result<Applied>> ApplyAsync(Actor actor, ValidOrder order, Plan plan, CancellationToken ct)
    {
        var postings = plan.Postings;
        var statements = postings.Select(p => p.Customer
                ? LedgerSql.Apply(db, p.AccountId, p.DeltaPaise, plan.Now)
                : LedgerSql.ApplyToCash(db, p.AccountId, p.DeltaPaise, plan.Now))
            .Append(LedgerSql.InsertTransaction(db, plan.TransactionId, order.Type, order.AmountPaise, order.Narration, actor.UserId.Value, order.Channel, plan.Now))
            .ToList();
        var rows = await Sql.BatchAsync(db, statements, ct);
        if (await RefusalAsync(plan, rows, ct) is { } refused)
        {
            return refused;
        }

        var applied = new List<Posting>(postings);
        var balances = new Dictionary<long, long>();
        for (var i = 0; i < applied.Count; i++)
        {
            var posting = applied[i];
            if (posting.Customer)
            {
                balances[posting.AccountId] = Convert.ToInt64(rows[i].Single()[0], CultureInfo.InvariantCulture);
                continue;
            }

            // The bank's side, last: the cash account that took it may be another than the one read (see ApplyToCash).
            var (cashId, cashNumber, cashBalance) = rows[i] is [var row]
                ? LedgerSql.CashRow(row)
                : await LedgerSql.ApplyToHeldCashAsync(db, posting.AccountId, posting.DeltaPaise, plan.Now, ct);
            applied[i] = posting with { AccountId = cashId, AccountNumber = cashNumber };
            balances[cashId] = cashBalance;
        }

        return new Applied(applied, balances, Convert.ToInt64(rows[^1].Single()[0], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Why a customer's update was refused (nothing has changed; the transaction rolls back), or null when all held. The
    /// first refused update in lock order is looked into, but whatever the lock order the payer's own reason (if any) is
    /// the one reported: the payer's account is as it was when its own update was refused too (otherwise its update holds
    /// and it has no reason).
    /// </summary>
    private async Task<Failure?> RefusalAsync(Plan plan, List<List<object[]>> rows, CancellationToken ct)
    {
        var postings = plan.Postings;
        var first = Enumerable.Range(0, postings.Count).FirstOrDefault(i => postings[i].Customer && rows[i] is not [_], -1);
        if (first < 0)
        {
            return null;
        }

        var own = postings.IndexOf(plan.Own);
        var reason = rows[own].Count == 0
            ? MovementRules.Own(await StateAsync(plan.Own.AccountId, ct), plan.Own.DeltaPaise, toOwnAccount: false)
            : null;
        if (reason is null && first != own)
        {
            reason = MovementRules.Payee((await StateAsync(postings[first].AccountId, ct)).CanReceive);
        }

        // No condition fails any more: another movement or status change committed in between (PostgreSQL's statement
        // snapshot is newer than the update's). Roll back and run the whole movement again.
        return reason ?? StateChanged.Because("The account changed while the movement ran.");
    }

    /// <summary>An account's state as it is now, for a refusal's reason.</summary>
    private async Task<AccountState> StateAsync(long accountId, CancellationToken ct)
    {
        var state = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(a => new { a.Status, a.BalancePaise, Owner = db.Users.Where(u => u.Id == a.UserId).Select(u => (UserStatus?)u.Status).FirstOrDefault() })
            .FirstAsync(ct);
        return new AccountState(state.Status, state.Owner, state.BalancePaise);
    }

    /// <summary>Adds the entries and the audit event to the unit of work, and builds each customer's line as their statement shows it.</summary>
    private Result<Moved> Record(Actor actor, ValidOrder order, Plan plan, Applied applied)
    {
        var (postings, balances, now) = (applied.Postings, applied.Balances, plan.Now);

        // The other customer of a transfer (none for a deposit or a withdrawal, whose other side is the bank).
        Posting? CounterpartyOf(Posting p) => p.Customer ? postings.FirstOrDefault(q => q.Customer && q != p) : null;
        db.LedgerEntries.AddRange(postings.Select(p => new LedgerEntry
        {
            LedgerTransactionId = applied.RecordId,
            AccountId = p.AccountId,
            UserId = p.UserId,
            Type = order.Type,
            AmountPaise = p.DeltaPaise,
            BalanceAfterPaise = balances[p.AccountId],
            CounterpartyAccountId = CounterpartyOf(p)?.AccountId,
            CreatedAt = now,
        }));
        var recipient = postings.FirstOrDefault(p => p.Customer && p != plan.Own);
        audit.Record(actor, AuditActions.MoneyMoved, actor.UserId.Value,
            $"{plan.TransactionId} {order.Type.Name()} {Rupees.Plain(order.AmountPaise)}" + (recipient is null ? "" : $" to {recipient.AccountNumber}"));

        // Each customer's line as they would read it back from their statement (one shape, one mapping: LineRow.ToLine).
        var updates = postings.Where(p => p.Customer).Select(p => new BalanceUpdate(new UserId(p.UserId!.Value), Rupees.FromPaise(balances[p.AccountId]), new LineRow
        {
            CreatedAt = now,
            TransactionId = plan.TransactionId,
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
        return Result.Ok(new Moved(updates.Single(u => u.UserId == actor.UserId).Line, updates));
    }
}
