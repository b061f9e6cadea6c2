using System.Globalization;
using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Demo;

/// <summary>
/// Fills the bank with a realistic demo (the <c>demo-data</c> command): Indian staff and customers, months of deposits,
/// withdrawals and transfers that the ledger would have accepted, and the sign-ins behind them, loaded in bulk and then
/// checked with <see cref="LedgerVerifier"/>. Each batch is one write transaction that leaves the books verifying: its
/// entries and the balances they change are committed together, so a running app sees the bank grow but never off.
/// </summary>
public sealed class DemoData(
    BankDbContext db,
    WriteGate gate,
    Passwords passwords,
    LedgerVerifier verifier,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<BankOptions> bank,
    IOptions<SecurityOptions> security)
{
    private const int PeoplePerBatch = 5_000;

    private const string AddToCash =
        "UPDATE accounts SET balance_paise = balance_paise + @delta, " +
        "last_transaction_at = CASE WHEN last_transaction_at IS NULL OR last_transaction_at < @at THEN @at ELSE last_transaction_at END " +
        "WHERE id = @id RETURNING balance_paise";

    /// <summary>Makes the demo bank on the configured database (migrated, with its first Super_Admin) and checks the books.</summary>
    public async Task<DemoReport> LoadAsync(DemoRequest request, IProgress<DemoProgress>? progress, CancellationToken ct)
    {
        if (request.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var settings = bank.Value;
        var time = new DemoTime(clock.GetUtcNow(), request.Months, settings.Zone);

        // One password per role, hashed once: PBKDF2 at 210,000 iterations per user would take minutes.
        var roles = Roles.All.ToDictionary(r => r, _ => Passwords.Generate());
        var hashed = await Task.WhenAll(roles.Select(r => Task.Run(() => (r.Key, Hash: passwords.Hash(r.Value)), ct)));
        var hashes = hashed.ToDictionary(h => h.Key, h => h.Hash);

        var firstSuperAdmin = await db.Users.Where(u => u.Role == Role.SuperAdmin).OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("The bank has no Super_Admin yet: start it once (or run Bootstrapper) before loading demo data.");
        var cash = await db.Accounts.Where(a => a.AccountNumber == BankAccounts.CashAccountNumber).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("The bank's cash account is missing: migrate the database first.");
        var people = new DemoPeople(request, time, settings.MinimumCustomerAge,
            await db.Users.AsNoTracking().Select(u => u.NormalizedEmail).ToListAsync(ct),
            await db.UserPhones.AsNoTracking().Select(p => p.Number).ToListAsync(ct));

        (long Transactions, long Entries, long SignIns) written;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var writer = BulkWriter.For(db);
            await LoadPeopleAsync(writer, people, hashes, firstSuperAdmin, progress, ct);
            var sessions = security.Value;
            var activity = new DemoActivity(people, time, settings.PerTransactionLimitPaise, sessions.IdleTimeout, sessions.AbsoluteLifetime, request.Seed);

            // On a new bank the activity's tables are empty: their secondary indexes are built once, sorted, after the load
            // rather than kept up to date through millions of inserts in random order (nearly half of a 100,000-customer
            // load). Unique indexes stay; a load that stops half-way leaves the rest to the bank's next migration
            // (BankDatabase.MigrateAsync).
            IReadOnlyList<string> activityTables = [Table<LedgerTransaction>(), Table<LedgerEntry>(), Table<LoginAttempt>()];
            await gate.WriteAsync(db, async t =>
            {
                await SchemaIndexes.DropSecondaryOfEmptyAsync(db, activityTables, t);
                return Result.Done;
            }, ct);
            try
            {
                written = await LoadActivityAsync(writer, people, activity, cash, progress, ct);
            }
            finally
            {
                progress?.Report(new DemoProgress(DemoPhase.Verify, 0, 0));
                await gate.WriteAsync(db, async t =>
                {
                    await SchemaIndexes.CreateMissingAsync(db, t);
                    return Result.Done;
                }, CancellationToken.None);
            }

            await gate.WriteAsync(db, _ =>
            {
                audit.Record(null, AuditActions.DemoDataLoaded, null, string.Create(CultureInfo.InvariantCulture,
                    $"customers={request.Customers} months={request.Months} seed={request.Seed} users={people.Members.Length} transactions={written.Transactions} sign-ins={written.SignIns}"));
                return Task.FromResult(Result.Done);
            }, ct);

            await writer.AnalyzeAsync(
                [Table<User>(), Table<UserPhone>(), Table<PasswordHistoryEntry>(), Table<Account>(), Table<LedgerTransaction>(), Table<LedgerEntry>(), Table<LoginAttempt>()], ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        progress?.Report(new DemoProgress(DemoPhase.Verify, 0.3, 0));
        var ledger = await verifier.VerifyAsync(ct);
        progress?.Report(new DemoProgress(DemoPhase.Verify, 1, ledger.Accounts));

        return new DemoReport(
            request,
            time.Start,
            time.Now,
            people.Members.GroupBy(m => m.Role).ToDictionary(g => g.Key, g => g.Count()),
            written.Transactions,
            written.Entries,
            written.SignIns,
            Showcase(people.Members, roles),
            ledger);
    }

    /// <summary>The people, batch after batch.</summary>
    private async Task LoadPeopleAsync(
        BulkWriter writer, DemoPeople people, Dictionary<Role, string> hashes, long firstSuperAdmin, IProgress<DemoProgress>? progress, CancellationToken ct)
    {
        int users = 0, accounts = 0;
        foreach (var batch in people.Batches(PeoplePerBatch))
        {
            await WritePeopleAsync(writer, people, batch, hashes, firstSuperAdmin, ct);
            users += batch.Count;
            accounts += batch.Count(p => p.Member.IsCustomer);
            progress?.Report(new DemoProgress(DemoPhase.People, users / (double)people.Members.Length, users));
            progress?.Report(new DemoProgress(DemoPhase.Accounts, accounts / (double)people.Customers, accounts));
        }
    }

    /// <summary>The months of movements and sign-ins, batch after batch in time order, then each user's last sign-in.</summary>
    private async Task<(long Transactions, long Entries, long SignIns)> LoadActivityAsync(
        BulkWriter writer, DemoPeople people, DemoActivity activity, long cash, IProgress<DemoProgress>? progress, CancellationToken ct)
    {
        long transactions = 0, entries = 0, signIns = 0;
        try
        {
            // SQLite batches stay short enough (well under its 30-second busy timeout) for a running app's writes to get in between.
            foreach (var batch in activity.Run(db.Provider == DatabaseProvider.Sqlite ? 10_000 : 50_000))
            {
                entries += await WriteActivityAsync(writer, people.Members, batch, cash, ct);
                transactions += batch.Movements.Count;
                signIns += batch.SignIns.Count;
                progress?.Report(new DemoProgress(DemoPhase.Transactions, batch.Fraction, transactions));
                progress?.Report(new DemoProgress(DemoPhase.SignIns, Math.Min(batch.Fraction, 0.99), signIns));
            }
        }
        catch (Exception)
        {
            // After a failure too, the sign-ins already committed give their users a last sign-in (if the database still answers).
            try
            {
                await WriteLastLoginsAsync(writer, people.Members, CancellationToken.None);
            }
            catch (Exception)
            {
                // The first failure is the one to report.
            }

            throw;
        }

        await WriteLastLoginsAsync(writer, people.Members, ct);
        progress?.Report(new DemoProgress(DemoPhase.SignIns, 1, signIns));
        return (transactions, entries, signIns);
    }

    /// <summary>Staff, then customers: their users (with phones and the first password-history entry) and the customers' accounts, in one transaction.</summary>
    private async Task WritePeopleAsync(
        BulkWriter writer, DemoPeople people, IReadOnlyList<DemoPerson> batch, Dictionary<Role, string> hashes, long firstSuperAdmin, CancellationToken ct)
    {
        var customers = batch.Count(p => p.Member.IsCustomer);
        await gate.WriteAsync(db, async t =>
        {
            // The counters hand out a block each (the same UPDATE … RETURNING as one user at a time), User IDs first as enrolment takes them.
            var userId = await Counters.TakeAsync(db, CounterNames.UserId, batch.Count, t);
            var body = customers > 0 ? await Counters.TakeAsync(db, CounterNames.AccountNumber, customers, t) : 0;
            await writer.LockAsync([Table<PasswordHistoryEntry>(), Table<Account>()], t);
            var historyId = await writer.NextIdAsync(Table<PasswordHistoryEntry>(), t);
            var accountId = await writer.NextIdAsync(Table<Account>(), t);

            var users = new List<User>(batch.Count);
            var phones = new List<UserPhone>(batch.Count * 2);
            var history = new List<PasswordHistoryEntry>(batch.Count);
            var accounts = new List<Account>(customers);
            foreach (var (member, valid) in batch)
            {
                member.UserId = userId++;
                var created = DemoTime.ToTime(member.CreatedTicks);
                var hash = hashes[member.Role];
                var creator = member.CreatorIndex < 0 ? firstSuperAdmin : people.Members[member.CreatorIndex].UserId;
                users.Add(valid.ToUser(member.UserId, member.Status, creator, created, hash, mustChangePassword: false));
                phones.AddRange(valid.PhoneNumbers.Select((number, i) => new UserPhone { Number = number, UserId = member.UserId, Position = i }));
                history.Add(new PasswordHistoryEntry { Id = historyId++, UserId = member.UserId, PasswordHash = hash, CreatedAt = created });
                if (member.IsCustomer)
                {
                    member.AccountBody = body++;
                    member.AccountId = accountId++;
                    accounts.Add(new Account
                    {
                        Id = member.AccountId,
                        AccountNumber = AccountNumber.FromBody(member.AccountBody),
                        UserId = member.UserId,
                        Kind = AccountKind.Customer,
                        Branch = bank.Value.Branch,
                        Currency = Account.Rupee,
                        BalancePaise = 0,
                        Status = member.FrozenTicks == long.MaxValue ? AccountStatus.Active : AccountStatus.Frozen,
                        OpenedAt = created,
                    });
                }
            }

            await writer.InsertAsync(users, t);
            await writer.InsertAsync(phones, t);
            await writer.InsertAsync(history, t);
            await writer.InsertAsync(accounts, t);
            await writer.AdvanceIdentityAsync(Table<PasswordHistoryEntry>(), t);
            await writer.AdvanceIdentityAsync(Table<Account>(), t);
            return Result.Done;
        }, ct);
    }

    /// <summary>
    /// A stretch of movements and sign-ins in one transaction: the balances first (customer accounts in id order, the cash
    /// account last, as the ledger locks them), then the transactions, their entries and the login history, written as
    /// <see cref="LedgerService"/> and <see cref="SignInService"/> write them. Returns the entries written.
    /// </summary>
    private async Task<long> WriteActivityAsync(BulkWriter writer, DemoMember[] members, DemoBatch batch, long cashId, CancellationToken ct)
    {
        var changes = new SortedDictionary<long, (long Delta, long Last)>();
        long cashDelta = 0, cashLast = 0;
        void Change(long accountId, long delta, long at) =>
            changes[accountId] = changes.TryGetValue(accountId, out var c) ? (c.Delta + delta, Math.Max(c.Last, at)) : (delta, at);
        foreach (var m in batch.Movements)
        {
            var from = members[m.From].AccountId;
            switch (m.Type)
            {
                case TransactionType.Credit:
                    Change(from, m.AmountPaise, m.AtTicks);
                    cashDelta -= m.AmountPaise;
                    cashLast = m.AtTicks;
                    break;
                case TransactionType.Debit:
                    Change(from, -m.AmountPaise, m.AtTicks);
                    cashDelta += m.AmountPaise;
                    cashLast = m.AtTicks;
                    break;
                default:
                    Change(from, -m.AmountPaise, m.AtTicks);
                    Change(members[m.To].AccountId, m.AmountPaise, m.AtTicks);
                    break;
            }
        }

        var balances = changes.Select(c => new BalanceChange(c.Key, c.Value.Delta, DemoTime.ToTime(c.Value.Last))).ToList();

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                long entries = 0;
                await gate.WriteAsync(db, async t =>
                {
                    if (balances.Count > 0)
                    {
                        await writer.AddToBalancesAsync(balances, t);
                    }

                    // The cash account is shared with the running bank: add to it, and number its entries from what it holds now.
                    var cash = 0L;
                    if (cashLast != 0)
                    {
                        var after = await Sql.Int64OrNullAsync(db, AddToCash, t,
                            ("@delta", cashDelta), ("@at", Sql.Timestamp(db, DemoTime.ToTime(cashLast))), ("@id", cashId));
                        cash = after!.Value - cashDelta;
                    }

                    await writer.LockAsync([Table<LedgerTransaction>(), Table<LedgerEntry>(), Table<LoginAttempt>()], t);
                    var (transactions, postings) = Ledger(members, batch.Movements, cashId, cash,
                        await writer.NextIdAsync(Table<LedgerTransaction>(), t), await writer.NextIdAsync(Table<LedgerEntry>(), t));
                    var attempts = Attempts(members, batch.SignIns, await writer.NextIdAsync(Table<LoginAttempt>(), t));

                    await writer.InsertAsync(transactions, t);
                    await writer.InsertAsync(postings, t);
                    await writer.InsertAsync(attempts, t);
                    await writer.AdvanceIdentityAsync(Table<LedgerTransaction>(), t);
                    await writer.AdvanceIdentityAsync(Table<LedgerEntry>(), t);
                    await writer.AdvanceIdentityAsync(Table<LoginAttempt>(), t);
                    entries = postings.Count;
                    return Result.Done;
                }, ct);

                foreach (var signIn in batch.SignIns)
                {
                    if (signIn.Outcome == LoginOutcome.Success)
                    {
                        var member = members[signIn.Member];
                        member.LastLoginTicks = Math.Max(member.LastLoginTicks, signIn.AtTicks);
                    }
                }

                return entries;
            }
            catch (Exception ex) when (attempt < 3 && DbErrors.IsUniqueViolation(ex, out var constraint)
                && constraint.Contains("transaction_id", StringComparison.OrdinalIgnoreCase))
            {
                // A transaction id met another, in the bank or in this batch (about 1 in 2^62 each): the batch rolled back; draw new ids.
            }
        }
    }

    /// <summary>
    /// Each user's last successful sign-in, in one statement at the end: updating it with every batch rewrote each user
    /// row once per batch (and all its indexes, last_login_at being one of them).
    /// </summary>
    private async Task WriteLastLoginsAsync(BulkWriter writer, DemoMember[] members, CancellationToken ct)
    {
        var logins = members.Where(m => m.LastLoginTicks > 0).Select(m => new LastLogin(m.UserId, DemoTime.ToTime(m.LastLoginTicks))).ToList();
        if (logins.Count > 0)
        {
            await gate.WriteAsync(db, async t =>
            {
                await writer.RaiseLastLoginAsync(logins, t);
                return Result.Done;
            }, ct);
        }
    }

    /// <summary>The movements as <see cref="LedgerService"/> records them: one transaction each, customer entries in account order, the cash account last.</summary>
    private static (List<LedgerTransaction> Transactions, List<LedgerEntry> Entries) Ledger(
        DemoMember[] members, IReadOnlyList<DemoMovement> movements, long cashId, long cash, long transactionId, long entryId)
    {
        var transactions = new List<LedgerTransaction>(movements.Count);
        var entries = new List<LedgerEntry>(movements.Count * 2);
        foreach (var m in movements)
        {
            var at = DemoTime.ToTime(m.AtTicks);
            var from = members[m.From];
            var transaction = new LedgerTransaction
            {
                Id = transactionId++,
                TransactionId = TransactionIds.New(),
                Type = m.Type,
                AmountPaise = m.AmountPaise,
                Narration = m.Narration,
                InitiatedByUserId = from.UserId,
                Channel = m.Channel,
                CreatedAt = at,
            };
            transactions.Add(transaction);

            LedgerEntry Entry(long accountId, long? userId, long amount, long balanceAfter, long? counterparty) => new()
            {
                Id = entryId++,
                LedgerTransactionId = transaction.Id,
                AccountId = accountId,
                UserId = userId,
                Type = m.Type,
                AmountPaise = amount,
                BalanceAfterPaise = balanceAfter,
                CounterpartyAccountId = counterparty,
                CreatedAt = at,
            };

            if (m.Type == TransactionType.Transfer)
            {
                var to = members[m.To];
                var debit = Entry(from.AccountId, from.UserId, -m.AmountPaise, m.FromBalanceAfter, to.AccountId);
                var credit = Entry(to.AccountId, to.UserId, m.AmountPaise, m.ToBalanceAfter, from.AccountId);
                if (from.AccountId > to.AccountId)
                {
                    // Account order, as the ledger posts them (the lower id gets the lower entry id).
                    (debit.Id, credit.Id) = (credit.Id, debit.Id);
                    entries.Add(credit);
                    entries.Add(debit);
                }
                else
                {
                    entries.Add(debit);
                    entries.Add(credit);
                }
            }
            else
            {
                var delta = m.Type == TransactionType.Credit ? m.AmountPaise : -m.AmountPaise;
                cash -= delta;
                entries.Add(Entry(from.AccountId, from.UserId, delta, m.FromBalanceAfter, null));
                entries.Add(Entry(cashId, null, -delta, cash, null));
            }
        }

        return (transactions, entries);
    }

    /// <summary>The sign-in attempts as <see cref="SignInService"/> records them.</summary>
    private static List<LoginAttempt> Attempts(DemoMember[] members, IReadOnlyList<DemoSignIn> signIns, long id) =>
        signIns.Select(s => new LoginAttempt
        {
            Id = id++,
            UserIdentifier = s.Identifier,
            UserId = s.Member >= 0 ? members[s.Member].UserId : null,
            Succeeded = s.Outcome == LoginOutcome.Success,
            Outcome = s.Outcome,
            At = DemoTime.ToTime(s.AtTicks),
            IpAddress = s.IpAddress,
            UserAgent = s.UserAgent,
            Channel = s.Channel,
        }).ToList();

    /// <summary>A few Active users of each role to try the bank as: the first staff, and the busiest customers with an Active account (and some money, where they have it).</summary>
    private static List<DemoUser> Showcase(DemoMember[] members, Dictionary<Role, string> passwords)
    {
        var shown = new List<DemoUser>();
        foreach (var (role, count) in new[] { (Role.SuperAdmin, 2), (Role.Admin, 3), (Role.Employee, 3) })
        {
            shown.AddRange(members.Where(m => m.Role == role && m.Status == UserStatus.Active).Take(count)
                .Select(m => new DemoUser(role, new UserId(m.UserId).ToString(), m.Name, passwords[role], null, null, 0)));
        }

        shown.AddRange(members
            .Where(m => m.IsCustomer && m.Status == UserStatus.Active && m.FrozenTicks == long.MaxValue)
            .OrderByDescending(m => m.BalancePaise >= 1_000_00).ThenByDescending(m => m.Transactions).ThenBy(m => m.Index)
            .Take(5)
            .Select(m => new DemoUser(Role.Customer, new UserId(m.UserId).ToString(), m.Name, passwords[Role.Customer],
                AccountNumber.FromBody(m.AccountBody), Rupees.FromPaise(m.BalancePaise), m.Transactions)));
        return shown;
    }

    private string Table<T>() => db.Model.FindEntityType(typeof(T))!.GetTableName()!;
}
