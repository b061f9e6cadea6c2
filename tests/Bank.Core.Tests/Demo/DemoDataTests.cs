using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Demo;
using Bank.Core.Reports;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Core.Tests.Demo;

/// <summary>
/// The demo bank, loaded in bulk, keeps every rule the bank keeps one movement at a time: books that verify, no negative
/// balance, balances equal to their entries, unique people and ids, counters past the ids, a login history behind every
/// last sign-in, and users who can sign in with the printed password. The same seed makes the same bank.
/// </summary>
public sealed class DemoDataTests
{
    /// <summary>A fixed "now" ahead of the test banks' clocks (a FakeTimeProvider only moves forward).</summary>
    private static readonly DateTimeOffset Now = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(7).AddMinutes(13);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_small_demo_bank_verifies_and_keeps_every_rule_of_the_ledger(TestBank bank)
    {
        var report = await LoadAsync(bank, new DemoRequest(Customers: 40, Months: 2, Seed: 11));

        Assert.True(report.Ledger.Ok, string.Join('\n', report.Ledger.Problems));
        await bank.AssertVerifiesAsync();
        Assert.Equal(40, report.UsersByRole[Role.Customer]);
        Assert.All(new[] { Role.SuperAdmin, Role.Admin, Role.Employee }, role => Assert.True(report.UsersByRole[role] > 0, $"No {role.Name()}."));
        Assert.True(report.Transactions > 40, $"Only {report.Transactions} transactions.");

        await using var db = bank.Database.CreateContext();
        var accounts = await db.Accounts.AsNoTracking().ToListAsync(Token);
        var entries = await db.LedgerEntries.AsNoTracking().ToListAsync(Token);
        var transactions = await db.LedgerTransactions.AsNoTracking().ToDictionaryAsync(t => t.Id, Token);
        var cash = accounts.Single(a => a.AccountNumber == BankAccounts.CashAccountNumber);

        // Every balance is the sum of its entries (summed by the database), none below zero but the bank's cash account.
        var sums = await db.LedgerEntries.GroupBy(e => e.AccountId).Select(g => new { g.Key, Sum = g.Sum(e => e.AmountPaise) }).ToDictionaryAsync(g => g.Key, g => g.Sum, Token);
        Assert.All(accounts, a => Assert.Equal(sums.GetValueOrDefault(a.Id), a.BalancePaise));
        Assert.All(accounts.Where(a => a.Kind == AccountKind.Customer), a => Assert.True(a.BalancePaise >= 0, $"{a.AccountNumber} is at {a.BalancePaise} paise."));
        Assert.All(accounts, a => Assert.Equal(entries.Where(e => e.AccountId == a.Id).Select(e => (DateTimeOffset?)e.CreatedAt).Max(), a.LastTransactionAt));

        // Each transaction: two entries summing to zero, written as the ledger writes them.
        var perTransaction = await db.LedgerEntries.GroupBy(e => e.LedgerTransactionId)
            .Select(g => new { g.Key, Sum = g.Sum(e => e.AmountPaise), Count = g.Count() }).ToListAsync(Token);
        Assert.Equal(transactions.Count, perTransaction.Count);
        Assert.All(perTransaction, t => Assert.Equal((0L, 2), (t.Sum, t.Count)));
        var limit = bank.Bank.PerTransactionLimitPaise;
        foreach (var pair in entries.GroupBy(e => e.LedgerTransactionId))
        {
            var transaction = transactions[pair.Key];
            var (first, second) = (pair.OrderBy(e => e.Id).First(), pair.OrderBy(e => e.Id).Last());
            Assert.InRange(transaction.AmountPaise, 1, limit);
            Assert.All(pair, e => Assert.Equal((transaction.Type, transaction.CreatedAt), (e.Type, e.CreatedAt)));
            Assert.Equal(transaction.AmountPaise, pair.Max(e => e.AmountPaise));
            if (transaction.Type == TransactionType.Transfer)
            {
                Assert.True(first.AccountId < second.AccountId, "Transfer entries follow account order.");
                Assert.Equal((second.AccountId, first.AccountId), (first.CounterpartyAccountId!.Value, second.CounterpartyAccountId!.Value));
                Assert.Contains(pair, e => e.AmountPaise < 0 && e.UserId == transaction.InitiatedByUserId);
            }
            else
            {
                Assert.Equal(cash.Id, second.AccountId);
                Assert.Null(second.UserId);
                Assert.Equal(transaction.InitiatedByUserId, first.UserId);
                Assert.Null(first.CounterpartyAccountId);
                Assert.Null(second.CounterpartyAccountId);
                Assert.Equal(transaction.Type == TransactionType.Credit, first.AmountPaise > 0);
            }
        }

        // The balance after every entry is the running sum of the account's entries, in time order (the cash account's too, on a new bank).
        foreach (var account in entries.GroupBy(e => e.AccountId))
        {
            var running = 0L;
            foreach (var entry in account.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id))
            {
                running += entry.AmountPaise;
                Assert.Equal(running, entry.BalanceAfterPaise);
            }
        }

        // Everything lies in the last two months of the bank's clock.
        var from = Now.AddMonths(-2).AddDays(-1);
        Assert.All(transactions.Values, t => Assert.InRange(t.CreatedAt, from, Now));
    }

    [Theory, DatabaseData]
    public async Task Demo_people_are_unique_and_take_their_ids_from_the_counters(TestBank bank)
    {
        var report = await LoadAsync(bank, new DemoRequest(Customers: 40, Months: 2, Seed: 12));

        await using var db = bank.Database.CreateContext();
        var users = await db.Users.AsNoTracking().Include(u => u.Phones).ToListAsync(Token);
        Assert.Equal(report.TotalUsers + 1, users.Count);
        Assert.Equal(users.Count, users.Select(u => u.NormalizedEmail).Distinct().Count());
        var phones = users.SelectMany(u => u.Phones).Select(p => p.Number).ToList();
        Assert.Equal(phones.Count, phones.Distinct().Count());
        Assert.All(phones, p => Assert.Matches("^[6-9][0-9]{9}$", p));
        var transactionIds = await db.LedgerTransactions.Select(t => t.TransactionId).ToListAsync(Token);
        Assert.Equal(transactionIds.Count, transactionIds.Distinct().Count());
        Assert.All(transactionIds, id => Assert.True(TransactionIds.IsWellFormed(id), id));

        var counters = await db.Counters.AsNoTracking().ToDictionaryAsync(c => c.Name, c => c.Value, Token);
        Assert.Equal(users.Max(u => u.Id), counters[CounterNames.UserId]);
        var numbers = await db.Accounts.Where(a => a.Kind == AccountKind.Customer).Select(a => a.AccountNumber).ToListAsync(Token);
        Assert.All(numbers, n => Assert.True(AccountNumber.IsValid(n), n));
        Assert.Equal(numbers.Max(n => long.Parse(n[..^1])), counters[CounterNames.AccountNumber]);

        // Adults from the reference list of states and cities, each customer with one account; demo passwords need no change.
        var today = bank.Services.GetRequiredService<BankCalendar>().Today;
        var demo = users.Where(u => u.Id != UserId.First.Value).ToList();
        Assert.All(demo, u =>
        {
            Assert.True(u.DateOfBirth.AddYears(18) <= today, $"{u.FullName} is a minor.");
            Assert.NotNull(ReferenceData.Instance.FindState(u.State)?.FindCity(u.City));
            Assert.False(u.MustChangePassword);
            Assert.NotNull(u.CreatedById);
        });
        Assert.Equal(demo.Count(u => u.Role == Role.Customer), numbers.Count);
        Assert.Contains(demo, u => u.Status != UserStatus.Active);
        Assert.True(demo.Count(u => u.Status == UserStatus.Active) > demo.Count / 2, "Most users are Active.");
    }

    [Theory, DatabaseData]
    public async Task The_login_history_is_behind_every_last_sign_in_and_the_printed_users_sign_in_with_the_printed_passwords(TestBank bank)
    {
        var report = await LoadAsync(bank, new DemoRequest(Customers: 40, Months: 2, Seed: 13));

        await using (var db = bank.Database.CreateContext())
        {
            var attempts = await db.LoginAttempts.AsNoTracking().ToListAsync(Token);
            Assert.Equal(report.SignIns, attempts.Count);
            Assert.True(attempts.Count(a => a.Succeeded) > attempts.Count / 2, "Most attempts succeed.");
            Assert.Contains(attempts, a => a.Outcome == LoginOutcome.WrongPassword);
            Assert.All(attempts, a => Assert.Equal(a.Outcome == LoginOutcome.Success, a.Succeeded));
            Assert.Contains(attempts, a => a.Channel == Channel.Api);
            Assert.Contains(attempts, a => a.Channel == Channel.Web);
            var latest = attempts.Where(a => a.Succeeded).GroupBy(a => a.UserId!.Value).ToDictionary(g => g.Key, g => g.Max(a => a.At));
            var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.LastLoginAt, u.Status }).ToListAsync(Token);
            Assert.All(users, u => Assert.Equal(latest.TryGetValue(u.Id, out var at) ? at : null, u.LastLoginAt));
            Assert.All(users.Where(u => u.Status == UserStatus.Pending), u => Assert.Null(u.LastLoginAt));

            // A user's history reads in order: ids ascend with time.
            Assert.All(attempts.Where(a => a.UserId is not null).GroupBy(a => a.UserId), history =>
                Assert.Equal(history.OrderBy(a => a.At).Select(a => a.Id), history.OrderBy(a => a.Id).Select(a => a.Id)));
        }

        Assert.Contains(report.Users, u => u.Role == Role.Customer);
        foreach (var user in report.Users)
        {
            var signedIn = await bank.SignInAsync(user.UserId, user.Password);
            Assert.True(signedIn.Succeeded, $"{user.Role.Name()} {user.UserId}: {signedIn.Failure}");
            Assert.False(signedIn.Value!.MustChangePassword);
            Assert.Equal(user.Role, signedIn.Value.Role);
        }
    }

    [Theory, DatabaseData]
    public async Task The_same_seed_on_two_fresh_banks_makes_the_same_bank(TestBank first, TestBank second)
    {
        var request = new DemoRequest(Customers: 30, Months: 2, Seed: 2024);

        var one = await LoadAsync(first, request);
        var two = await LoadAsync(second, request);

        Assert.Equal((one.TotalUsers, one.Transactions, one.Entries, one.SignIns), (two.TotalUsers, two.Transactions, two.Entries, two.SignIns));
        Assert.Equal(await BalancesAsync(first), await BalancesAsync(second));
        Assert.Equal(await PeopleAsync(first), await PeopleAsync(second));
        Assert.Equal(await MovementsAsync(first), await MovementsAsync(second));
    }

    [Theory, DatabaseData]
    public async Task A_second_run_adds_to_the_bank_and_leaves_what_was_there_alone(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        await bank.FundAsync(customers[0], 1_500.50m);
        await bank.TransferAsync(customers[0], customers[1].AccountNumber, 500m);
        var before = await BalancesAsync(bank);

        var first = await LoadAsync(bank, new DemoRequest(Customers: 20, Months: 1, Seed: 1));
        var second = await LoadAsync(bank, new DemoRequest(Customers: 20, Months: 1, Seed: 1), advance: TimeSpan.FromHours(1));

        Assert.True(second.Ledger.Ok, string.Join('\n', second.Ledger.Problems));
        Assert.Equal(first.Ledger.Transactions + second.Transactions, second.Ledger.Transactions);
        var after = await BalancesAsync(bank);
        Assert.Equal(before[customers[0].AccountNumber], after[customers[0].AccountNumber]);
        Assert.Equal(before[customers[1].AccountNumber], after[customers[1].AccountNumber]);

        await using var db = bank.Database.CreateContext();
        Assert.Equal(3 + first.TotalUsers + second.TotalUsers, await db.Users.CountAsync(Token));
        var ids = await db.LedgerTransactions.Select(t => t.TransactionId).ToListAsync(Token);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var emails = await db.Users.Select(u => u.NormalizedEmail).ToListAsync(Token);
        Assert.Equal(emails.Count, emails.Distinct().Count());

        // The bank goes on after the load: its own movements and users take the next ids.
        var lastNumber = await db.Accounts.MaxAsync(a => a.AccountNumber, Token);
        await bank.FundAsync(customers[1], 10m);
        var added = await bank.AddCustomersAsync(1);
        Assert.True(string.CompareOrdinal(added[0].AccountNumber, lastNumber) > 0, $"{added[0].AccountNumber} after {lastNumber}");
        await bank.AssertVerifiesAsync();
        foreach (var user in first.Users.Concat(second.Users).Where(u => u.Role == Role.Customer))
        {
            Assert.True((await bank.SignInAsync(user.UserId, user.Password)).Succeeded, user.UserId);
        }
    }

    [Theory, DatabaseData]
    public async Task After_a_load_the_planner_knows_how_big_the_bank_has_grown(TestBank bank)
    {
        // SQLite keeps the statistics of its last ANALYZE until asked again: figures of a tiny first load made the ledger
        // check of a 20,000-customer second load run for minutes (a nested scan instead of the index).
        await LoadAsync(bank, new DemoRequest(Customers: 1, Months: 1, Seed: 3));
        await LoadAsync(bank, new DemoRequest(Customers: 60, Months: 2, Seed: 4), advance: TimeSpan.FromHours(1));

        Assert.Equal(await EntriesAndPlannedAsync(bank, actual: true), await EntriesAndPlannedAsync(bank, actual: false));
    }

    [Theory, DatabaseData]
    public async Task A_load_into_a_new_bank_ends_with_every_index_its_migrations_made(TestBank bank)
    {
        var migrated = await bank.IndexDefinitionsAsync();
        Assert.Contains(migrated, d => d.StartsWith("IX_ledger_entries_user_id_created_at_id: ", StringComparison.Ordinal));

        var report = await LoadAsync(bank, new DemoRequest(Customers: 30, Months: 1, Seed: 6));

        Assert.True(report.Ledger.Ok, string.Join('\n', report.Ledger.Problems));
        Assert.Equal(migrated, await bank.IndexDefinitionsAsync());
    }

    [Theory, DatabaseData]
    public async Task A_start_builds_again_the_indexes_a_stopped_load_left_dropped(TestBank bank)
    {
        await LoadAsync(bank, new DemoRequest(Customers: 10, Months: 1, Seed: 7));
        var migrated = await bank.IndexDefinitionsAsync();
        await using (var scope = bank.Scope())
        {
            // What a load drops on a new bank, and a unique index as well.
            var db = scope.Get<BankDbContext>();
            await db.Database.ExecuteSqlRawAsync("DELETE FROM login_attempts", Token);
            Assert.Equal(2, (await SchemaIndexes.DropSecondaryOfEmptyAsync(db, ["ledger_entries", "login_attempts"], Token)).Count);
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_ledger_transactions_transaction_id\"", Token);
        }

        Assert.Equal(migrated.Count - 3, (await bank.IndexDefinitionsAsync()).Count);
        await using (var scope = bank.Scope())
        {
            await scope.Get<BankDatabase>().MigrateAsync(Token);
        }

        Assert.Equal(migrated, await bank.IndexDefinitionsAsync());
    }

    [Fact]
    public async Task On_SQLite_each_start_analyses_again_a_table_that_outgrew_its_statistics()
    {
        await using var bank = await TestBank.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>());
        await LoadAsync(bank, new DemoRequest(Customers: 60, Months: 2, Seed: 5));

        // The statistics as a tiny bank would have left them, read by every connection opened from now on.
        Assert.Equal(1, await bank.ExecuteAsync($"UPDATE sqlite_stat1 SET stat = '2 1 1 1' WHERE idx = 'IX_ledger_entries_account_id_created_at_id'"));
        SqliteConnection.ClearAllPools();
        Assert.Equal(2, await EntriesAndPlannedAsync(bank, actual: false));

        await using (var scope = bank.Scope())
        {
            await scope.Get<BankDatabase>().MigrateAsync(Token);
        }

        Assert.Equal(await EntriesAndPlannedAsync(bank, actual: true), await EntriesAndPlannedAsync(bank, actual: false));
    }

    private static async Task<DemoReport> LoadAsync(TestBank bank, DemoRequest request, TimeSpan advance = default)
    {
        if (bank.Clock.GetUtcNow() < Now)
        {
            bank.Clock.SetUtcNow(Now);
        }

        bank.Clock.Advance(advance);
        await using var scope = bank.Scope();
        return await scope.Get<DemoData>().LoadAsync(request, progress: null, Token);
    }

    /// <summary>The ledger entries there are, or as many as the planner's statistics say (SQLite's sqlite_stat1, PostgreSQL's pg_class).</summary>
    private static async Task<long> EntriesAndPlannedAsync(TestBank bank, bool actual)
    {
        await using var db = bank.Database.CreateContext();
        return actual
            ? await db.LedgerEntries.LongCountAsync(Token)
            : (await db.Database.SqlQueryRaw<long>(bank.Provider == DatabaseProvider.Sqlite
                ? "SELECT CAST(substr(stat, 1, instr(stat, ' ') - 1) AS INTEGER) AS \"Value\" FROM sqlite_stat1 "
                    + "WHERE tbl = 'ledger_entries' AND idx = 'IX_ledger_entries_account_id_created_at_id'"
                : "SELECT CAST(reltuples AS bigint) AS \"Value\" FROM pg_class WHERE relname = 'ledger_entries'").ToListAsync(Token)).Single();
    }

    private static async Task<Dictionary<string, long>> BalancesAsync(TestBank bank)
    {
        await using var db = bank.Database.CreateContext();
        return await db.Accounts.ToDictionaryAsync(a => a.AccountNumber, a => a.BalancePaise, Token);
    }

    private static async Task<List<string>> PeopleAsync(TestBank bank)
    {
        await using var db = bank.Database.CreateContext();
        var users = await db.Users.AsNoTracking().Include(u => u.Phones).Where(u => u.Id != UserId.First.Value).OrderBy(u => u.Id).ToListAsync(Token);
        return users.Select(u => string.Join('|', u.Id, u.FullName, u.Email, u.DateOfBirth, u.Gender, u.Street, u.City, u.State, u.Role, u.Status,
            u.CreatedAt.UtcTicks, u.LastLoginAt?.UtcTicks, string.Join(',', u.Phones.OrderBy(p => p.Position).Select(p => p.Number)))).ToList();
    }

    private static async Task<List<string>> MovementsAsync(TestBank bank)
    {
        await using var db = bank.Database.CreateContext();
        var rows = await db.LedgerEntries.AsNoTracking()
            .Join(db.LedgerTransactions, e => e.LedgerTransactionId, t => t.Id, (e, t) => new { e, t.Narration, t.Channel, t.InitiatedByUserId })
            .OrderBy(x => x.e.Id)
            .ToListAsync(Token);
        return rows.Select(x => string.Join('|', x.e.Id, x.e.AccountId, x.e.Type, x.e.AmountPaise, x.e.BalanceAfterPaise, x.e.CounterpartyAccountId,
            x.e.CreatedAt.UtcTicks, x.Narration, x.Channel, x.InitiatedByUserId)).ToList();
    }
}
