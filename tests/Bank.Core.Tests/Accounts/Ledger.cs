using System.Globalization;
using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Users;
using Bank.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bank.Core.Tests.Accounts;

/// <summary>A customer of a test ledger: the actor that moves money for them, and their account.</summary>
internal sealed record Customer(Actor Actor, long UserId, long AccountId, string AccountNumber)
{
    public override string ToString() => AccountNumber;
}

/// <summary>What a refused request must leave exactly as it was: every balance and the row counts of the ledger.</summary>
internal sealed record LedgerState(IReadOnlyDictionary<string, long> Balances, long Transactions, long Entries, long IdempotencyRecords);

/// <summary>
/// A migrated database with a Super_Admin and customers (each with an account), and the services a test needs.
/// Every concurrent client gets its own context and services (<see cref="Connect"/>); all of them share the one
/// <see cref="WriteGate"/>, as the singleton of the app does.
/// </summary>
internal sealed class Ledger : IAsyncDisposable
{
    private readonly List<Customer> _customers = [];
    private int _nextCustomer;
    private int _staff;

    private Ledger(TestDatabase database, BankOptions bank)
    {
        Database = database;
        Bank = Options.Create(bank);
    }

    public TestDatabase Database { get; }

    public DatabaseProvider Provider => Database.Provider;

    /// <summary>The one gate of this database, shared by every client.</summary>
    public WriteGate Gate { get; } = new();

    public AuditTrail Audit { get; } = new(TimeProvider.System);

    public IOptions<BankOptions> Bank { get; }

    /// <summary>The bootstrapped Super_Admin.</summary>
    public Actor Administrator { get; private set; } = null!;

    public IReadOnlyList<Customer> Customers => _customers;

    /// <summary>The per-transaction limit in paise.</summary>
    public long LimitPaise => (long)(Bank.Value.PerTransactionLimit * Money.Money.PaisePerRupee);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task<Ledger> CreateAsync(DatabaseProvider provider, int customers, BankOptions? bank = null)
    {
        var ledger = new Ledger(await TestDatabase.CreateAsync(provider), bank ?? new BankOptions());
        try
        {
            await using (var db = ledger.Database.CreateContext())
            {
                await DatabaseSetup.MigrateAsync(db, Token);
            }

            await using (var client = ledger.Connect())
            {
                var bootstrapper = new Bootstrapper(client.Db, ledger.Gate, FastHashing.Passwords, client.Users, ledger.Audit);
                var superAdmin = await bootstrapper.EnsureSuperAdminAsync(new BootstrapOptions(), Token)
                    ?? throw new InvalidOperationException("The new database already had users.");
                ledger.Administrator = new Actor(long.Parse(superAdmin.UserId, CultureInfo.InvariantCulture), Role.SuperAdmin);
            }

            await ledger.AddCustomersAsync(customers);
            return ledger;
        }
        catch
        {
            await ledger.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates customers through <see cref="UserService"/> (each with an Active account at zero balance).</summary>
    public async Task<IReadOnlyList<Customer>> AddCustomersAsync(int count)
    {
        var added = new List<Customer>(count);
        await using var client = Connect();
        for (var i = 0; i < count; i++)
        {
            var n = _customers.Count + 1;
            var created = await client.Users.CreateAsync(Administrator, new NewUser(
                "Test", "Customer " + Letters(n), $"customer{n}@example.com", "1990-01-01", [$"9{n:D9}"], "Female",
                null, "Mumbai", "Maharashtra", Roles.CustomerName), Token);
            Assert.True(created.Succeeded, created.Failure?.ToString());
            var userId = long.Parse(created.Value!.UserId, CultureInfo.InvariantCulture);
            var accountId = await client.Db.Accounts.AsNoTracking().Where(a => a.UserId == userId).Select(a => a.Id).SingleAsync(Token);
            var customer = new Customer(new Actor(userId, Role.Customer), userId, accountId, created.Value.AccountNumber!);
            _customers.Add(customer);
            added.Add(customer);
        }

        return added;
    }

    /// <summary>A member of staff (Admin or Employee) created by the Super_Admin.</summary>
    public async Task<Actor> AddStaffAsync(Role role)
    {
        await using var client = Connect();
        var n = ++_staff;
        var created = await client.Users.CreateAsync(Administrator, new NewUser(
            "Test", role.Name() + " " + Letters(n), $"staff{n}@example.com", "1985-05-05", [$"8{n:D9}"], "Male",
            null, "Mumbai", "Maharashtra", role.Name()), Token);
        Assert.True(created.Succeeded, created.Failure?.ToString());
        return new Actor(long.Parse(created.Value!.UserId, CultureInfo.InvariantCulture), role);
    }

    /// <summary>The next <paramref name="count"/> customers no earlier test of a shared ledger has used.</summary>
    public async Task<IReadOnlyList<Customer>> TakeCustomersAsync(int count)
    {
        var missing = _nextCustomer + count - _customers.Count;
        if (missing > 0)
        {
            await AddCustomersAsync(missing);
        }

        var taken = _customers.Skip(_nextCustomer).Take(count).ToList();
        _nextCustomer += count;
        return taken;
    }

    /// <summary>A client of its own: a new context and services on it (a context is not thread-safe).</summary>
    public LedgerClient Connect() => new(this, Database.CreateContext());

    /// <summary>A client whose context runs <paramref name="interceptor"/> on its commands.</summary>
    public LedgerClient Connect(IInterceptor interceptor) => new(this, Provider == DatabaseProvider.Sqlite
        ? new SqliteBankDbContext(new DbContextOptionsBuilder<SqliteBankDbContext>().UseSqlite(Database.ConnectionString).AddInterceptors(interceptor).Options)
        : new PostgresBankDbContext(new DbContextOptionsBuilder<PostgresBankDbContext>().UseNpgsql(Database.ConnectionString).AddInterceptors(interceptor).Options));

    public async Task<Result<MoneyMoved>> MoveAsync(Customer customer, MoneyOrder order)
    {
        await using var client = Connect();
        return await client.Ledger.MoveAsync(customer.Actor, order, Token);
    }

    public Task<Result<MoneyMoved>> CreditAsync(Customer customer, decimal? amount, string? key = null) =>
        MoveAsync(customer, new MoneyOrder("credit", amount, IdempotencyKey: key));

    public Task<Result<MoneyMoved>> DebitAsync(Customer customer, decimal? amount, string? key = null) =>
        MoveAsync(customer, new MoneyOrder("debit", amount, IdempotencyKey: key));

    public Task<Result<MoneyMoved>> TransferAsync(Customer from, string toAccountNumber, decimal? amount, string? key = null) =>
        MoveAsync(from, new MoneyOrder("transfer", amount, toAccountNumber, IdempotencyKey: key));

    /// <summary>A deposit that must succeed (arranging a balance).</summary>
    public async Task FundAsync(Customer customer, decimal amount)
    {
        var result = await CreditAsync(customer, amount);
        Assert.True(result.Succeeded, result.Failure?.ToString());
    }

    public async Task<Result<AccountView>> ChangeStatusAsync(Actor actor, string accountNumber, string status)
    {
        await using var client = Connect();
        return await client.Accounts.ChangeStatusAsync(actor, accountNumber, new AccountChange(status), Token);
    }

    /// <summary>Sets a user's stored status directly in the database.</summary>
    public async Task SetUserStatusAsync(Customer customer, UserStatus status)
    {
        await using var db = Database.CreateContext();
        var changed = await db.Users.Where(u => u.Id == customer.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, status), Token);
        Assert.Equal(1, changed);
    }

    /// <summary>An account's balance in paise, read straight from the database.</summary>
    public async Task<long> BalanceAsync(Customer customer) => await BalanceAsync(customer.AccountNumber);

    public async Task<long> BalanceAsync(string accountNumber)
    {
        await using var db = Database.CreateContext();
        return await db.Accounts.AsNoTracking().Where(a => a.AccountNumber == accountNumber).Select(a => a.BalancePaise).SingleAsync(Token);
    }

    /// <summary>Every account's balance in paise (the bank's cash account included), by account number.</summary>
    public async Task<Dictionary<string, long>> BalancesAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.AccountNumber, a => a.BalancePaise, Token);
    }

    public async Task<AccountStatus> AccountStatusAsync(Customer customer)
    {
        await using var db = Database.CreateContext();
        return await db.Accounts.AsNoTracking().Where(a => a.Id == customer.AccountId).Select(a => a.Status).SingleAsync(Token);
    }

    public async Task<long> TransactionCountAsync()
    {
        await using var db = Database.CreateContext();
        return await db.LedgerTransactions.LongCountAsync(Token);
    }

    public async Task<long> EntryCountAsync()
    {
        await using var db = Database.CreateContext();
        return await db.LedgerEntries.LongCountAsync(Token);
    }

    public async Task<LedgerState> StateAsync()
    {
        await using var db = Database.CreateContext();
        return new LedgerState(
            await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.AccountNumber, a => a.BalancePaise, Token),
            await db.LedgerTransactions.LongCountAsync(Token),
            await db.LedgerEntries.LongCountAsync(Token),
            await db.IdempotencyRecords.LongCountAsync(Token));
    }

    public async Task<LedgerReport> VerifyAsync()
    {
        await using var db = Database.CreateContext();
        return await new LedgerVerifier(db).VerifyAsync(Token);
    }

    public async Task AssertVerifiesAsync()
    {
        var report = await VerifyAsync();
        Assert.True(report.Ok, "The ledger does not verify:\n" + string.Join('\n', report.Problems));
    }

    /// <summary>
    /// Runs <paramref name="act"/>, which must be refused with <paramref name="code"/>, and checks that it changed
    /// nothing: no balance, no transaction, no entry, no idempotency record; and the books still verify.
    /// </summary>
    public async Task<Failure> AssertRefusedAndUnchangedAsync<T>(string code, Func<Task<Result<T>>> act)
    {
        var before = await StateAsync();
        var result = await act();
        Assert.False(result.Succeeded, $"Expected a refusal with {code}, but it succeeded.");
        Assert.Equal(code, result.Failure!.Code);
        var after = await StateAsync();
        Assert.Equal(before.Balances, after.Balances);
        Assert.Equal(before.Transactions, after.Transactions);
        Assert.Equal(before.Entries, after.Entries);
        Assert.Equal(before.IdempotencyRecords, after.IdempotencyRecords);
        await AssertVerifiesAsync();
        return result.Failure;
    }

    /// <summary>Runs SQL directly on the database (no gate: call it only while nothing else writes).</summary>
    public async Task<int> ExecuteAsync(FormattableString sql)
    {
        await using var db = Database.CreateContext();
        return await db.Database.ExecuteSqlAsync(sql, Token);
    }

    /// <summary>
    /// Empties the ledger and sets every account back to Active at zero balance, every user to Active: a cheap fresh
    /// start for another sample on the same database (no gate: call it only while nothing else writes).
    /// </summary>
    public async Task ResetAsync()
    {
        await using var db = Database.CreateContext();
        await db.LedgerEntries.ExecuteDeleteAsync(Token);
        await db.LedgerTransactions.ExecuteDeleteAsync(Token);
        await db.IdempotencyRecords.ExecuteDeleteAsync(Token);
        await db.Accounts.ExecuteUpdateAsync(s => s
            .SetProperty(a => a.BalancePaise, 0L)
            .SetProperty(a => a.Status, AccountStatus.Active)
            .SetProperty(a => a.LastTransactionAt, (DateTimeOffset?)null), Token);
        await db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UserStatus.Active), Token);
    }

    /// <summary>A body of the account-number counter no account has: far past the counter.</summary>
    public static string UnusedAccountNumber(int n = 0) => AccountNumber.FromBody(AccountNumber.FirstBody + 9_000_000 + n);

    /// <summary>A number with a wrong check digit (every single-digit change breaks the Verhoeff check).</summary>
    public static string WithWrongCheckDigit(string accountNumber) =>
        accountNumber[..^1] + (char)('0' + ((accountNumber[^1] - '0' + 1) % 10));

    public async ValueTask DisposeAsync()
    {
        Gate.Dispose();
        await Database.DisposeAsync();
    }

    private static string Letters(int n)
    {
        var letters = "";
        do
        {
            letters = (char)('A' + (n % 26)) + letters;
            n /= 26;
        }
        while (n > 0);
        return letters;
    }
}

/// <summary>Hashing a password as the app does takes a noticeable time per user; these tests only need some hash.</summary>
internal static class FastHashing
{
    public static readonly IOptions<SecurityOptions> Security = Options.Create(new SecurityOptions { PasswordHashIterations = 1_000 });

    public static readonly Passwords Passwords = new(Security);
}

/// <summary>One concurrent client: its own context, and the services of the app on it.</summary>
internal sealed class LedgerClient : IAsyncDisposable
{
    public LedgerClient(Ledger ledger, BankDbContext db)
    {
        Db = db;
        Ledger = new LedgerService(Db, ledger.Gate, ledger.Audit, TimeProvider.System, ledger.Bank, new NoBalanceUpdates(), NullLogger<LedgerService>.Instance);
        Accounts = new AccountService(Db, ledger.Gate, ledger.Audit);
        Users = new UserService(Db, ledger.Gate, FastHashing.Passwords, ledger.Audit,
            new SessionService(Db, ledger.Gate, TimeProvider.System, FastHashing.Security), TimeProvider.System, ledger.Bank);
    }

    public BankDbContext Db { get; }

    public LedgerService Ledger { get; }

    public AccountService Accounts { get; }

    public UserService Users { get; }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}

/// <summary>Runs many calls at once: all are started together, with at most <c>maxInFlight</c> running at any moment.</summary>
internal static class Concurrently
{
    public static async Task<T[]> RunAsync<T>(int count, Func<int, Task<T>> work, int maxInFlight = int.MaxValue)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var throttle = new SemaphoreSlim(Math.Min(count, maxInFlight));
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await throttle.WaitAsync();
            try
            {
                return await work(i);
            }
            finally
            {
                throttle.Release();
            }
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }
}
