using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bank.Web.Tests.Infrastructure;

/// <summary>
/// The real application on a real, fresh database (SQLite file or a database on the test PostgreSQL server): a copy of
/// the migrated template (<see cref="TestDatabase.CreateMigratedAsync"/>), on which it makes the first Super_Admin as on a
/// first start; an app made with <c>emptyDatabase</c> starts on an empty one and migrates it too (the first-day test).
/// One per test class and database (<see cref="BankApps"/>). Runs in
/// the Production environment so that production security settings are what is tested, but for one: passwords are
/// hashed with 1,000 PBKDF2 iterations (as in Core's tests), because every test creates and signs in users and the
/// configured 210,000 cost about a tenth of a second of CPU per hash. An app made with <c>productionHashing</c> keeps the
/// configured count; the test of the stored hash's format uses one.
/// </summary>
/// <remarks>
/// Every app writes mail into its outbox; an app made with <c>sendsMail</c> also sends it, over SMTP to a real SMTP server of
/// its own on a loopback port (<see cref="Smtp"/>), with retry waits short enough for a test to watch. Several apps may
/// share one database (<c>sharedDatabase</c>, which the test disposes), as several instances of the bank do.
/// </remarks>
public class BankApp(
    DatabaseProvider provider,
    IReadOnlyDictionary<string, string>? settings = null,
    bool sendsMail = false,
    TestDatabase? sharedDatabase = null,
    bool productionHashing = false,
    bool emptyDatabase = false)
    : WebApplicationFactory<Program>
{
    /// <summary>Where staff sign-in alerts go (apps that send mail).</summary>
    public const string AlertAddress = "alerts@bank.test";

    /// <summary>Who gets the monthly report besides the Super_Admins (apps that send mail).</summary>
    public const string BoardAddress = "board@bank.test";

    public const string SuperAdminId = "56125810021";
    public const string BootstrapPassword = "Bootstrap7Pass2026x";
    public const string SuperAdminPassword = "Sup3rAdmin-Pass-2026";

    private readonly SemaphoreSlim _superAdminReady = new(1, 1);
    private bool _passwordChanged;

    public DatabaseProvider Provider { get; } = provider;

    /// <summary>The password each user signed in by <see cref="FirstSignInAsync(string, string, string?)"/> has now.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> LastPasswords { get; } = new();

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>The app's SMTP server (apps that send mail).</summary>
    public SmtpSink Smtp => _smtp ?? throw new InvalidOperationException("This app sends no mail: make it with sendsMail: true.");

    private SmtpSink? _smtp;

    /// <summary>Creates the app's database (and SMTP server); the app itself starts at its first request.</summary>
    public virtual async Task InitializeAsync()
    {
        if (sendsMail)
        {
            _smtp = await SmtpSink.StartAsync();
        }

        Database = sharedDatabase ?? (emptyDatabase ? await TestDatabase.CreateAsync(Provider) : await TestDatabase.CreateMigratedAsync(Provider));
        ClientOptions.BaseAddress = new Uri("https://localhost");
        ClientOptions.AllowAutoRedirect = false;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Bank", Database.ConnectionString);
        builder.UseSetting("Bootstrap:SuperAdmin:Password", BootstrapPassword);
        builder.UseSetting("Security:SignInAttemptsPerMinutePerIp", "100000");
        // Production requires staff to use a second factor; only the second-factor tests (which set it again) turn it on.
        builder.UseSetting("Security:RequireStaffTwoFactor", "false");
        // Mail is written to the outbox by every app; only the mail tests (which set these again) send it.
        builder.UseSetting("Mail:Outbox:Enabled", "false");
        builder.UseSetting("Mail:PickupDirectory", Path.Combine(Path.GetTempPath(), "bank-test-mail", Guid.NewGuid().ToString("N")));
        if (_smtp is not null)
        {
            foreach (var (key, value) in MailSettings(_smtp.Port))
            {
                builder.UseSetting(key, value);
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (!productionHashing)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(sp =>
            {
                // The settings as configured and validated, but hashed with 1,000 iterations.
                var configured = sp.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue;
                configured.PasswordHashIterations = 1_000;
                return Options.Create(configured);
            }));
        }
    }

    private static Dictionary<string, string> MailSettings(int port) => new()
    {
        ["Mail:Outbox:Enabled"] = "true",
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        ["Mail:Smtp:TimeoutSeconds"] = "5",
        ["Mail:Outbox:PollSeconds"] = "0.2",
        ["Mail:Outbox:RetryBaseSeconds"] = "0.2",
        ["Mail:Outbox:RetryMaxSeconds"] = "1",
        ["Mail:Outbox:MaxAttempts"] = "3",
        ["Notifications:AdminAlertRecipients"] = AlertAddress,
        ["Notifications:MonthlyReportRecipients"] = BoardAddress,
    };

    /// <summary>A client signed in with a bearer token.</summary>
    public async Task<HttpClient> SignInAsync(string userId, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userId, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<LoginBody>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body!.AccessToken);
        return client;
    }

    /// <summary>The bootstrap Super_Admin, signed in, its one-time password already changed.</summary>
    public async Task<HttpClient> SuperAdminAsync()
    {
        await _superAdminReady.WaitAsync();
        try
        {
            if (!_passwordChanged)
            {
                await FirstSignInAsync(SuperAdminId, BootstrapPassword, SuperAdminPassword);
                _passwordChanged = true;
            }
        }
        finally
        {
            _superAdminReady.Release();
        }

        return await SignInAsync(SuperAdminId, SuperAdminPassword);
    }

    /// <summary>Creates a user through the API as <paramref name="creator"/> and returns its id and one-time password.</summary>
    public static async Task<CreatedBody> CreateUserAsync(HttpClient creator, string role, string? email = null, string? phone = null)
    {
        var response = await creator.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser(role, email, phone));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CreatedBody>())!;
    }

    /// <summary>Creates a user and signs them in with a changed password, ready for any endpoint.</summary>
    public async Task<(HttpClient Client, string UserId)> ActiveUserAsync(HttpClient creator, string role)
    {
        var created = await CreateUserAsync(creator, role);
        var (client, _) = await FirstSignInAsync(created);
        return (client, created.UserId);
    }

    /// <summary>The first sign-in of a user just created: the one-time password replaced by a password of their own.</summary>
    public Task<(HttpClient Client, string Password)> FirstSignInAsync(CreatedBody created) =>
        FirstSignInAsync(created.UserId, created.TemporaryPassword);

    /// <summary>
    /// Signs in with a one-time password and changes it to <paramref name="newPassword"/> (a new strong one when null),
    /// which <see cref="LastPasswords"/> records. The client stays signed in (a password change keeps its own session).
    /// </summary>
    public async Task<(HttpClient Client, string Password)> FirstSignInAsync(string userId, string temporaryPassword, string? newPassword = null)
    {
        var client = await SignInAsync(userId, temporaryPassword);
        newPassword ??= TestUsers.StrongPassword();
        var change = await client.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword = temporaryPassword, newPassword });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        LastPasswords[userId] = newPassword;
        return (client, newPassword);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        if (sharedDatabase is null)
        {
            await Database.DisposeAsync();
        }

        _superAdminReady.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A test class's apps, one per database, each made on first use and disposed with the class. Test methods take the
/// database from <see cref="DatabaseDataAttribute"/> and ask for its app.
/// </summary>
public class BankApps<TApp> : IAsyncDisposable
    where TApp : BankApp
{
    private readonly Func<DatabaseProvider, TApp> _create;
    private readonly Dictionary<DatabaseProvider, Lazy<Task<TApp>>> _apps = [];
    private readonly Lock _lock = new();

    /// <summary>Apps made by <paramref name="create"/>.</summary>
    public BankApps(Func<DatabaseProvider, TApp> create) => _create = create;

    /// <summary>The app on <paramref name="provider"/>, started on first use.</summary>
    public Task<TApp> ForAsync(DatabaseProvider provider)
    {
        lock (_lock)
        {
            if (!_apps.TryGetValue(provider, out var app))
            {
                _apps[provider] = app = new Lazy<Task<TApp>>(() => StartAsync(_create(provider)));
            }

            return app.Value;
        }
    }

    /// <summary>Prepares a new app before its first test.</summary>
    protected virtual async Task<TApp> StartAsync(TApp app)
    {
        await app.InitializeAsync();
        return app;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps.Values.Where(a => a.IsValueCreated))
        {
            try
            {
                await (await app.Value).DisposeAsync();
            }
            catch (Exception)
            {
                // An app that failed to start failed its tests already.
            }
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The plain app on each database.</summary>
public sealed class BankApps() : BankApps<BankApp>(provider => new BankApp(provider));

/// <summary>The default app with passwords hashed as configured (210,000 iterations), on each database.</summary>
public sealed class ProductionHashingApps() : BankApps<BankApp>(provider => new BankApp(provider, productionHashing: true));

/// <summary>The app that sends its mail to its own SMTP server (at most three attempts a mail), on each database.</summary>
public sealed class MailApps() : BankApps<BankApp>(provider => new BankApp(provider, sendsMail: true));

/// <summary>The app that sends mail and keeps retrying through a long outage (fifty attempts a mail), on each database.</summary>
public sealed class PatientMailApps() : BankApps<BankApp>(provider =>
    new BankApp(provider, new Dictionary<string, string> { ["Mail:Outbox:MaxAttempts"] = "50" }, sendsMail: true));

/// <summary>The app with a clock the test moves, so that lifetimes (and TOTP codes) are tested without waiting.</summary>
public sealed class ClockApp(DatabaseProvider provider, IReadOnlyDictionary<string, string>? settings = null) : BankApp(provider, settings)
{
    /// <summary>The app's clock.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>The app with a movable clock on each database.</summary>
public sealed class ClockApps() : BankApps<ClockApp>(provider => new ClockApp(provider));

/// <summary>The app with a movable clock that requires Super_Admins and Admins to use a second factor, on each database.</summary>
public sealed class TwoFactorApps() : BankApps<ClockApp>(provider =>
    new ClockApp(provider, new Dictionary<string, string> { ["Security:RequireStaffTwoFactor"] = "true" }));

public sealed record LoginBody(string UserId, string Role, bool MustChangePassword, string? AccessToken, int ExpiresIn, string? TwoFactor = null);

public sealed record CreatedBody(string UserId, string TemporaryPassword, string? AccountNumber);

/// <summary>Valid, unique user data for tests.</summary>
public static class TestUsers
{
    private static int _sequence = Random.Shared.Next(100_000, 900_000);

    public static string UniquePhone() => "9" + Interlocked.Increment(ref _sequence).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    public static string StrongPassword() => "Pw" + Guid.NewGuid().ToString("N")[..14] + "7x";

    public static Dictionary<string, object?> NewUser(string role, string? email = null, string? phone = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        return new Dictionary<string, object?>
        {
            ["firstName"] = "Asha",
            ["lastName"] = "Verma",
            ["email"] = email ?? $"user{n}@example.com",
            ["dateOfBirth"] = "1990-04-15",
            ["phoneNumbers"] = new[] { phone ?? UniquePhone() },
            ["gender"] = "Female",
            ["address"] = new Dictionary<string, object?> { ["street"] = "12 MG Road", ["city"] = "Pune", ["state"] = "Maharashtra" },
            ["role"] = role,
        };
    }
}
