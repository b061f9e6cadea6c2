using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bank.Core.Tests.Infrastructure;

/// <summary>A customer of a test bank: the actor that moves money for them, and their account.</summary>
internal sealed record Customer(Actor Actor, long UserId, long AccountId, string AccountNumber)
{
    public override string ToString() => AccountNumber;
}

/// <summary>A user just created, with the one-time password shown once (and a customer's account number).</summary>
internal sealed record Enrolled(Actor Actor, string Password, string? AccountNumber)
{
    public string UserId => Actor.UserId.ToString();
}

/// <summary>What a refused request must leave exactly as it was: every balance and the row counts of the ledger.</summary>
internal sealed record LedgerState(IReadOnlyDictionary<string, long> Balances, long Transactions, long Entries, long IdempotencyRecords);

/// <summary>
/// A fresh, migrated database of one provider with Bank.Core composed on it by the app's own registration
/// (<see cref="CoreServices.AddBankCore"/>) and the first Super_Admin bootstrapped. Only three things differ from the
/// app: the clock is a <see cref="FakeTimeProvider"/> (starting now, a microsecond further at each reading), password
/// hashing uses fewer iterations (the tests create many users), and a test may hook an EF interceptor into its own calls.
/// Each concurrent client takes its own scope (<see cref="Scope"/>): its own context, services and the one shared write gate.
/// </summary>
public sealed class TestBank : IDatabaseFixture<TestBank>
{
    private readonly List<Customer> _customers = [];
    private readonly ServiceProvider _services;
    private int _staff;
    private int _disposed;

    private TestBank(TestDatabase database, ServiceProvider services, FakeTimeProvider clock)
    {
        Database = database;
        _services = services;
        Clock = clock;
    }

    /// <summary>The database under the bank.</summary>
    public TestDatabase Database { get; }

    /// <summary>Which database.</summary>
    public DatabaseProvider Provider => Database.Provider;

    /// <summary>The bank's clock; <c>Advance</c> it to test lifetimes and lockouts.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The root of the composed services.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The bank's settings (section <c>Bank</c>).</summary>
    public BankOptions Bank => _services.GetRequiredService<IOptions<BankOptions>>().Value;

    /// <summary>The bootstrapped Super_Admin.</summary>
    internal Actor Administrator { get; private set; } = null!;

    /// <summary>The sessions the bank said had ended on purpose (signed out, replaced), in order.</summary>
    internal EndedSessions Ended { get; private init; } = null!;

    internal IReadOnlyList<Customer> Customers => _customers;

    /// <summary>Commands of the current async flow go through this interceptor first (see <see cref="InterceptAsync"/>).</summary>
    internal static TestInterceptor Interceptor { get; } = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A new bank on a copy of the migrated template database, with more settings.</summary>
    public static async Task<TestBank> CreateAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?> settings)
    {
        var database = await TestDatabase.CreateMigratedAsync(provider);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromTicks(10) };
        var ended = new EndedSessions();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<ISessionEndListener>(ended)
            .AddSingleton<IInterceptor>(Interceptor)
            .AddBankCore(database.Configuration(settings));
        services.Replace(ServiceDescriptor.Singleton(FastHashing.Passwords));
        var bank = new TestBank(database, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }), clock)
        {
            Ended = ended,
        };
        try
        {
            await using var scope = bank.Scope();
            var superAdmin = await scope.Get<Bootstrapper>().EnsureSuperAdminAsync(Token)
                ?? throw new InvalidOperationException("The new database already had users.");
            bank.Administrator = new Actor(ParseId(superAdmin.UserId), Role.SuperAdmin);
            return bank;
        }
        catch
        {
            await bank.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of its own: a scope with a context and the services on it (a context is not thread-safe).</summary>
    internal BankScope Scope() => new(_services.CreateAsyncScope());

    /// <summary>Runs <paramref name="act"/> with <paramref name="interceptor"/> seeing every command of its async flow.</summary>
    internal static async Task<T> InterceptAsync<T>(IDbCommandInterceptor interceptor, Func<Task<T>> act)
    {
        var before = Interceptor.Current.Value;
        Interceptor.Current.Value = interceptor;
        try
        {
            return await act();
        }
        finally
        {
            Interceptor.Current.Value = before;
        }
    }

    /// <summary>Creates customers through <see cref="UserEnrolment"/> (each with an Active account at zero balance).</summary>
    internal async Task<IReadOnlyList<Customer>> AddCustomersAsync(int count)
    {
        var added = new List<Customer>(count);
        await using var scope = Scope();
        for (var i = 0; i < count; i++)
        {
            var n = _customers.Count + 1;
            var created = await scope.Get<UserEnrolment>().CreateAsync(Administrator, new NewUser(
                "Test", "Customer " + Letters(n), $"customer{n}@example.com", "1990-01-01", [$"9{n:D9}"], "Female",
                null, "Mumbai", "Maharashtra", Role.Customer.Name()), Token);
            Assert.True(created.Succeeded, created.Failure?.ToString());
            var userId = ParseId(created.Value!.UserId);
            var accountId = await scope.Db.Accounts.AsNoTracking().Where(a => a.UserId == userId.Value).Select(a => a.Id).SingleAsync(Token);
            var customer = new Customer(new Actor(userId, Role.Customer), userId.Value, accountId, created.Value.AccountNumber!);
            _customers.Add(customer);
            added.Add(customer);
        }

        return added;
    }

    /// <summary>A member of staff (Admin or Employee) created by the Super_Admin.</summary>
    internal async Task<Actor> AddStaffAsync(Role role) => (await EnrolAsync(role)).Actor;

    /// <summary>A user of any role created by the Super_Admin, with their one-time password.</summary>
    internal async Task<Enrolled> EnrolAsync(Role role)
    {
        await using var scope = Scope();
        var n = Interlocked.Increment(ref _staff);
        var created = await scope.Get<UserEnrolment>().CreateAsync(Administrator, new NewUser(
            "Test", "Person " + Letters(n), $"person{n}@example.com", "1985-05-05", [$"8{n:D9}"], "Male",
            null, "Mumbai", "Maharashtra", role.Name()), Token);
        Assert.True(created.Succeeded, created.Failure?.ToString());
        return new Enrolled(new Actor(ParseId(created.Value!.UserId), role), created.Value.TemporaryPassword, created.Value.AccountNumber);
    }

    /// <summary>Signs a user in through <see cref="SignInService"/> (replacing the session of <paramref name="replacing"/>, a token, when given).</summary>
    internal async Task<Result<SignedIn>> SignInAsync(string userId, string? password, string? replacing = null)
    {
        await using var scope = Scope();
        return await scope.Get<SignInService>().SignInAsync(
            userId, password, Channel.Api, new ClientInfo("127.0.0.1", "TestBank/1.0"), Token, replacing);
    }

    /// <summary>The session a token names now, as every request checks it (null when it has ended).</summary>
    internal async Task<SessionInfo?> SessionAsync(string token)
    {
        await using var scope = Scope();
        return await scope.Get<SessionService>().ValidateAsync(token, Token);
    }

    internal async Task<Result<MoneyMoved>> MoveAsync(Customer customer, MoneyOrder order)
    {
        await using var scope = Scope();
        return await scope.Get<LedgerService>().MoveAsync(customer.Actor, order, Token);
    }

    internal Task<Result<MoneyMoved>> CreditAsync(Customer customer, decimal? amount, string? key = null) =>
        MoveAsync(customer, new MoneyOrder("credit", amount, IdempotencyKey: key));

    internal Task<Result<MoneyMoved>> DebitAsync(Customer customer, decimal? amount, string? key = null) =>
        MoveAsync(customer, new MoneyOrder("debit", amount, IdempotencyKey: key));

    internal Task<Result<MoneyMoved>> TransferAsync(Customer from, string toAccountNumber, decimal? amount, string? key = null) =>
        MoveAsync(from, new MoneyOrder("transfer", amount, toAccountNumber, IdempotencyKey: key));

    /// <summary>A deposit that must succeed (arranging a balance).</summary>
    internal async Task FundAsync(Customer customer, decimal amount)
    {
        var result = await CreditAsync(customer, amount);
        Assert.True(result.Succeeded, result.Failure?.ToString());
    }

    internal async Task<Result<AccountView>> ChangeStatusAsync(Actor actor, string accountNumber, string status)
    {
        await using var scope = Scope();
        return await scope.Get<AccountService>().ChangeStatusAsync(actor, accountNumber, new AccountChange(status), Token);
    }

    /// <summary>Sets a user's stored status directly in the database.</summary>
    internal async Task SetUserStatusAsync(long userId, UserStatus status)
    {
        await using var db = Database.CreateContext();
        var changed = await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, status), Token);
        Assert.Equal(1, changed);
    }

    /// <summary>An account's balance in paise, read straight from the database.</summary>
    internal async Task<long> BalanceAsync(Customer customer) => await BalanceAsync(customer.AccountNumber);

    internal async Task<long> BalanceAsync(string accountNumber)
    {
        await using var db = Database.CreateContext();
        return await db.Accounts.AsNoTracking().Where(a => a.AccountNumber == accountNumber).Select(a => a.BalancePaise).SingleAsync(Token);
    }

    /// <summary>The bank's cash in paise: the sum of its internal cash accounts (see <see cref="BankAccounts"/>).</summary>
    internal async Task<long> CashAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Accounts.AsNoTracking().Where(a => a.Kind == AccountKind.InternalCash).SumAsync(a => a.BalancePaise, Token);
    }

    /// <summary>Every account's balance in paise (the bank's cash accounts included), by account number.</summary>
    internal async Task<Dictionary<string, long>> BalancesAsync() => new((await StateAsync()).Balances);

    internal async Task<AccountStatus> AccountStatusAsync(Customer customer)
    {
        await using var db = Database.CreateContext();
        return await db.Accounts.AsNoTracking().Where(a => a.Id == customer.AccountId).Select(a => a.Status).SingleAsync(Token);
    }

    internal async Task<long> TransactionCountAsync()
    {
        await using var db = Database.CreateContext();
        return await db.LedgerTransactions.LongCountAsync(Token);
    }

    internal async Task<LedgerState> StateAsync()
    {
        await using var db = Database.CreateContext();
        return new LedgerState(
            await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.AccountNumber, a => a.BalancePaise, Token),
            await db.LedgerTransactions.LongCountAsync(Token),
            await db.LedgerEntries.LongCountAsync(Token),
            await db.IdempotencyRecords.LongCountAsync(Token));
    }

    internal async Task<LedgerReport> VerifyAsync()
    {
        await using var scope = Scope();
        return await scope.Get<LedgerVerifier>().VerifyAsync(Token);
    }

    internal async Task AssertVerifiesAsync()
    {
        var report = await VerifyAsync();
        Assert.True(report.Ok, "The ledger does not verify:\n" + string.Join('\n', report.Problems));
    }

    /// <summary>
    /// Runs <paramref name="act"/>, which must be refused with <paramref name="type"/>, and checks that it changed
    /// nothing: no balance, no transaction, no entry, no idempotency record; and the books still verify.
    /// </summary>
    internal async Task<Failure> AssertRefusedAndUnchangedAsync<T>(FailureType type, Func<Task<Result<T>>> act)
    {
        var before = await StateAsync();
        var result = await act();
        Assert.False(result.Succeeded, $"Expected a refusal with {type.Code}, but it succeeded.");
        Assert.Equal(type.Code, result.Failure.Code);
        var after = await StateAsync();
        Assert.Equal(before.Balances, after.Balances);
        Assert.Equal(before.Transactions, after.Transactions);
        Assert.Equal(before.Entries, after.Entries);
        Assert.Equal(before.IdempotencyRecords, after.IdempotencyRecords);
        await AssertVerifiesAsync();
        return result.Failure;
    }

    /// <summary>Runs SQL directly on the database (no gate: call it only while nothing else writes).</summary>
    internal async Task<int> ExecuteAsync(FormattableString sql)
    {
        await using var db = Database.CreateContext();
        return await db.Database.ExecuteSqlAsync(sql, Token);
    }

    /// <summary>Every index the database holds, as "name: definition" in name order (sqlite_master's SQL, PostgreSQL's indexdef).</summary>
    internal async Task<List<string>> IndexDefinitionsAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Database.SqlQueryRaw<string>(Provider == DatabaseProvider.Sqlite
            ? "SELECT name || ': ' || COALESCE(sql, 'automatic') AS \"Value\" FROM sqlite_master WHERE type = 'index' ORDER BY name"
            : "SELECT indexname || ': ' || indexdef AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname").ToListAsync(Token);
    }

    /// <summary>
    /// Empties the ledger and sets every account back to Active at zero balance, every user to Active: a cheap fresh
    /// start for another sample on the same database (no gate: call it only while nothing else writes).
    /// </summary>
    internal async Task ResetAsync()
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

    /// <summary>
    /// The bank's date of an instant: its day in the bank's time zone (<c>Bank:TimeZone</c>, India Standard Time by
    /// default), worked out here with <see cref="TimeZoneInfo"/> rather than by the code under test.
    /// </summary>
    internal DateOnly DateIn(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Bank.Zone).DateTime);

    /// <summary>A body of the account-number counter no account has: far past the counter.</summary>
    internal static string UnusedAccountNumber(int n = 0) => AccountNumber.FromBody(AccountNumber.FirstBody + 9_000_000 + n);

    /// <summary>A number with a wrong check digit (every single-digit change breaks the Verhoeff check).</summary>
    internal static string WithWrongCheckDigit(string accountNumber) =>
        accountNumber[..^1] + (char)('0' + ((accountNumber[^1] - '0' + 1) % 10));

    /// <summary>The database's name in test names.</summary>
    public override string ToString() => Provider.ToString();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }

    private static UserId ParseId(string text) => UserId.TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a User ID.");

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

/// <summary>One client of a test bank: a scope of the composed services.</summary>
internal sealed class BankScope(AsyncServiceScope scope) : IAsyncDisposable
{
    public T Get<T>()
        where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public BankDbContext Db => Get<BankDbContext>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}

/// <summary>Hashing a password as the app does takes a noticeable time per user; these tests only need some hash.</summary>
internal static class FastHashing
{
    public static readonly IOptions<SecurityOptions> Security = Options.Create(new SecurityOptions { PasswordHashIterations = 1_000 });

    public static readonly Passwords Passwords = new(Security);
}

/// <summary>Hands each command to the interceptor the current async flow chose (none by default).</summary>
internal sealed class TestInterceptor : DbCommandInterceptor, IDbTransactionInterceptor
{
    public AsyncLocal<IDbCommandInterceptor?> Current { get; } = new();

    /// <summary>Runs before each commit of the current async flow (a group commit runs on its leader's flow).</summary>
    public AsyncLocal<Func<Task>?> BeforeCommit { get; } = new();

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        System.Data.Common.DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (BeforeCommit.Value is { } hook)
        {
            await hook();
        }

        return result;
    }

    public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
        System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default) =>
        Current.Value is { } interceptor ? interceptor.ReaderExecutingAsync(command, eventData, result, cancellationToken) : ValueTask.FromResult(result);
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

/// <summary>A session-end listener that keeps what it hears, as the hub's live connections would act on it.</summary>
internal sealed class EndedSessions : ISessionEndListener
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _ids = new();

    /// <summary>The ended sessions' ids, in the order heard.</summary>
    public IReadOnlyList<string> Ids => [.. _ids];

    /// <inheritdoc/>
    public Task SessionEndedAsync(string sessionId)
    {
        _ids.Enqueue(sessionId);
        return Task.CompletedTask;
    }
}
