using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Browser;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Operations;

/// <summary>
/// Two instances of the bank on one PostgreSQL database and one real Redis (<c>Redis:ConnectionString</c>), as a bank
/// runs them behind a load balancer: A in memory (TestServer), B on a real Kestrel port with Chromium. What one instance
/// does is seen at once through the other: the live balance, the sign-in limit, a sign-out, the staff dashboard.
/// </summary>
public sealed class ScaleOutTests(ScaleOutTests.TwoInstances bank, ITestOutputHelper output) : IClassFixture<ScaleOutTests.TwoInstances>
{
    [Fact]
    public async Task A_transfer_through_A_shows_on_the_receivers_page_connected_to_B_without_a_reload()
    {
        var admin = await bank.A.SuperAdminAsync();
        var asha = await bank.A.NewAsync(admin, "Asha", "Sharma");
        var ravi = await bank.A.NewAsync(admin, "Ravi", "Kumar");
        await asha.DepositAsync(1000m);

        // Ravi's page is open on instance B.
        await using var context = await bank.B.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = bank.B.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, ravi.UserId, bank.A.LastPasswords[ravi.UserId]);
        await page.GotoAsync("/MyAccount");
        await page.Locator("#live-balance[data-live='connected']").WaitForAsync();
        Assert.Equal("₹0.00", await page.Locator("#balance").InnerTextAsync());
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        // Asha's transfer goes through instance A.
        var acrossMs = await TimedTransferAsync(page, asha.Client, ravi.AccountNumber, 250m, "₹250.00");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "The page was reloaded.");
        await Assertions.Expect(page.Locator("#recent")).ToContainTextAsync("Transfer from");

        // For comparison, the same through instance B itself (Asha's API client on B).
        var ashaOnB = bank.B.CreateClient();
        ashaOnB.DefaultRequestHeaders.Authorization = asha.Client.DefaultRequestHeaders.Authorization;
        var sameMs = await TimedTransferAsync(page, ashaOnB, ravi.AccountNumber, 50m, "₹300.00");
        output.WriteLine($"Live update, transfer request sent to balance changed on the page: through A to a page on B {acrossMs:F0} ms; through B to a page on B {sameMs:F0} ms.");
        TestContext.Current.SendDiagnosticMessage($"Live update across instances: {acrossMs:F0} ms (same instance: {sameMs:F0} ms)");
    }

    [Fact]
    public async Task The_sign_in_limit_trips_at_the_same_total_whichever_instance_the_attempts_reach()
    {
        // Both instances see the attempts as coming from 127.0.0.2, an address no other test uses.
        var address = IPAddress.Parse("127.0.0.2");
        using var toA = new HttpClient(bank.A.Server.CreateHandler(c => c.Connection.RemoteIpAddress = address)) { BaseAddress = bank.A.Server.BaseAddress };
        using var toB = new HttpClient(new SocketsHttpHandler { ConnectCallback = (c, ct) => ConnectFromAsync(address, c, ct) })
        {
            BaseAddress = new Uri(bank.B.Url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)),
        };

        for (var i = 0; i < TwoInstances.SignInLimit; i++)
        {
            var response = await AttemptAsync(i % 2 == 0 ? toA : toB);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"Attempt {i + 1} of {TwoInstances.SignInLimit}: {response.StatusCode}");
        }

        // Each instance has seen only half the limit; together they have seen all of it.
        foreach (var client in new[] { toA, toB })
        {
            var refused = await AttemptAsync(client);
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString()) is > 0 and <= 60);
        }
    }

    [Fact]
    public async Task A_session_signed_out_on_A_is_refused_on_B_and_its_live_connection_on_B_closes_at_once()
    {
        var admin = await bank.A.SuperAdminAsync();
        var customer = await bank.A.NewAsync(admin);
        var onB = bank.B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = customer.Client.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/accounts/me", TestContext.Current.CancellationToken)).StatusCode);

        var bearer = customer.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var live = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(bank.B.Url), "/hubs/balance"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
            })
            .Build();
        live.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await live.StartAsync(TestContext.Current.CancellationToken);

        var signOut = await customer.Client.PostAsync("/api/v1/auth/logout", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/v1/accounts/me", TestContext.Current.CancellationToken)).StatusCode);
        // B's sweeper would take up to 30 seconds; A tells B through Redis at once.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_users_change_through_A_is_on_the_dashboard_B_has_cached()
    {
        var adminOnA = await bank.A.SuperAdminAsync();
        var adminOnB = bank.B.CreateClient();
        adminOnB.DefaultRequestHeaders.Authorization = adminOnA.DefaultRequestHeaders.Authorization;

        // B reuses its figures: HybridCache answers the first reader before its write to Redis lands, so a read right after
        // it may compute them once more; from then on they come from Redis.
        var before = await DashboardAsync(adminOnB);
        var previous = before;
        await Eventually.HoldsAsync(
            async () =>
            {
                (previous, before) = (before, await DashboardAsync(adminOnB));
                return before["computedAt"]!.ToString() == previous["computedAt"]!.ToString();
            },
            () => $"computed at {previous["computedAt"]}, then at {before["computedAt"]}");

        var created = await BankApp.CreateUserAsync(adminOnA, "Employee");
        var afterCreate = await DashboardAsync(adminOnB);
        Assert.Equal(before["totalUsers"]!.GetValue<int>() + 1, afterCreate["totalUsers"]!.GetValue<int>());
        Assert.Equal(before["staff"]!.GetValue<int>() + 1, afterCreate["staff"]!.GetValue<int>());

        var suspend = await adminOnA.PatchAsJsonAsync($"/api/v1/users/{created.UserId}", new { status = "Suspended", reason = "scale-out test" }, TestContext.Current.CancellationToken);
        Assert.True(suspend.IsSuccessStatusCode, await suspend.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var afterSuspend = await DashboardAsync(adminOnB);
        Assert.Equal(afterCreate["usersByStatus"]!["Suspended"]!.GetValue<int>() + 1, afterSuspend["usersByStatus"]!["Suspended"]!.GetValue<int>());
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> DashboardAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/dashboard", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Sends a transfer and returns the milliseconds from sending it to the page showing <paramref name="balance"/>.</summary>
    private static async Task<double> TimedTransferAsync(IPage page, HttpClient from, string to, decimal amount, string balance)
    {
        // The page notes the moment its balance changes, on the same machine's clock as the test's.
        await page.EvaluateAsync("""
            () => {
                window.changedAt = null;
                const target = document.getElementById('balance');
                new MutationObserver((_, observer) => { window.changedAt = Date.now(); observer.disconnect(); })
                    .observe(target, { childList: true, characterData: true, subtree: true });
            }
            """);
        var sentAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var moved = await from.MoveAsync($$"""{"type":"transfer","amount":{{amount}},"toAccountNumber":"{{to}}","narration":"scale-out"}""");
        Assert.True(moved.StatusCode == HttpStatusCode.Created, await moved.Content.ReadAsStringAsync());
        await Assertions.Expect(page.Locator("#balance")).ToHaveTextAsync(balance);
        var changedAt = await page.EvaluateAsync<double>("() => window.changedAt");
        return changedAt - sentAt;
    }

    private static Task<HttpResponseMessage> AttemptAsync(HttpClient client) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { userId = "99999999999", password = "Whatever-123456" }, TestContext.Current.CancellationToken);

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress from, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Instance A, in memory. A request of its own clients comes from no address (TestServer); here each comes from an
    /// address of its own, so that only the limit test's attempts (from 127.0.0.2) count towards one address's limit.
    /// </summary>
    private sealed class InstanceA(IReadOnlyDictionary<string, string> settings, TestDatabase database)
        : BankApp(DatabaseProvider.Postgres, settings, sharedDatabase: database)
    {
        private static int _next;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, EachRequestItsOwnAddress>());
        }

        private sealed class EachRequestItsOwnAddress : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, following) =>
                {
                    context.Connection.RemoteIpAddress ??= new IPAddress(BitConverter.GetBytes(0x0A000000 | Interlocked.Increment(ref _next)).Reverse().ToArray());
                    return following(context);
                });
                next(app);
            };
        }
    }

    /// <summary>A real Redis, one PostgreSQL database, and two instances of the bank on them, shared by the class's tests.</summary>
    public sealed class TwoInstances : IAsyncLifetime
    {
        /// <summary>Sign-in attempts a minute per address, across both instances.</summary>
        public const int SignInLimit = 6;

        private RedisServer? _redis;
        private TestDatabase? _database;

        public BankApp A { get; private set; } = null!;

        public BrowserApp B { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var started = Stopwatch.StartNew();
            _redis = await RedisServer.StartAsync();
            _database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
            var settings = new Dictionary<string, string>
            {
                ["Redis:ConnectionString"] = _redis.ConnectionString,
                ["Security:SignInAttemptsPerMinutePerIp"] = SignInLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Dashboard:CacheSeconds"] = "300",
            };
            A = new InstanceA(settings, _database);
            await A.InitializeAsync();
            await A.SuperAdminAsync(); // the first instance migrates and makes the first Super_Admin
            B = new BrowserApp(DatabaseProvider.Postgres, settings: settings, sharedDatabase: _database);
            await B.InitializeAsync();
            await B.StartAsync();
            TestContext.Current.SendDiagnosticMessage($"Two instances, PostgreSQL and Redis ready in {started.ElapsedMilliseconds} ms");
        }

        public async ValueTask DisposeAsync()
        {
            if (B is not null)
            {
                await B.DisposeAsync();
            }

            if (A is not null)
            {
                await A.DisposeAsync();
            }

            if (_database is not null)
            {
                await _database.DisposeAsync();
            }

            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }
    }
}
