using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Commands;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bank.Web.Tests.Security;

/// <summary>
/// Behind a proxy and keys at rest, over real HTTP on a loopback port. The client's address and scheme come from
/// <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> only when the connection comes from a listed proxy
/// (<c>ForwardedHeaders:KnownProxies</c>); from anyone else (loopback included, unless listed) they are ignored: login
/// history, the audit trail and the sign-in limit see the connection's address. A Production start without
/// <c>DataProtection:CertificatePath</c> warns once; with it, the keys in the database are encrypted.
/// </summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersTests.DirectApps direct, ForwardedHeadersTests.ProxiedApps proxied, ForwardedHeadersTests.ThrottleApps throttled)
    : IClassFixture<ForwardedHeadersTests.DirectApps>, IClassFixture<ForwardedHeadersTests.ProxiedApps>, IClassFixture<ForwardedHeadersTests.ThrottleApps>
{
    private const string Spoofed = "203.0.113.9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_forwarded_address_from_an_unknown_proxy_changes_neither_the_login_history_nor_the_audit_trail_nor_the_scheme(DatabaseProvider provider)
    {
        var app = await direct.ForAsync(provider);

        var (root, signIn) = await app.SuperAdminViaAsync(Spoofed);

        var ip = await LastLoginAddressAsync(root);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(ip)), $"The login history has {ip}, not the connection's loopback address.");
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(await AuditedAddressAsync(root))), "The audit trail took the spoofed address.");
        // X-Forwarded-Proto: https from an unknown proxy does not make the plain HTTP request HTTPS: no HSTS on it.
        Assert.False(signIn.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory, DatabaseData]
    public async Task A_known_proxy_names_the_client_and_the_scheme_and_a_client_cannot_prepend_another_address(DatabaseProvider provider)
    {
        var app = await proxied.ForAsync(provider);

        // What nginx sends for a client at 203.0.113.9 that itself claimed to be 198.51.100.1.
        var (root, signIn) = await app.SuperAdminViaAsync("198.51.100.1, " + Spoofed);

        Assert.Equal(Spoofed, await LastLoginAddressAsync(root));
        Assert.Equal(Spoofed, await AuditedAddressAsync(root));
        // TLS ended at the proxy: the request is HTTPS to the app, so HSTS is sent.
        Assert.True(signIn.Headers.Contains("Strict-Transport-Security"), "X-Forwarded-Proto: https from the known proxy was not applied.");
    }

    [Fact]
    public async Task Spoofing_a_new_address_with_each_attempt_does_not_escape_the_sign_in_limit()
    {
        var app = await throttled.Direct();

        for (var i = 1; i <= ThrottleApps.Limit; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync($"203.0.113.{i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync("203.0.113.200"));
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_sign_in_limit()
    {
        var app = await throttled.Proxied();
        var prefix = $"198.51.{Random.Shared.Next(0, 256)}.";

        for (var i = 0; i < ThrottleApps.Limit; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync(prefix + "1"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync(prefix + "1"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync(prefix + "2"));
    }

    [Fact]
    public async Task Behind_a_known_proxy_ipv6_clients_of_one_64_share_the_sign_in_limit_and_another_64_does_not()
    {
        var app = await throttled.Proxied();
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";

        for (var i = 1; i <= ThrottleApps.Limit; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync($"{network}::{i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync($"{network}:ffff:ffff:ffff:fffe"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await app.AttemptSignInAsync($"2001:db8:0:{Random.Shared.Next(1, 0xffff):x}::1"));
    }

    [Fact]
    public async Task A_production_start_without_a_key_certificate_warns_once_and_stores_the_keys_as_they_are()
    {
        var app = await direct.ForAsync(DatabaseProvider.Sqlite);
        await app.IssueAntiforgeryCookieAsync();

        Assert.Single(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message == StartupTasks.UnencryptedKeysWarning);
        var keys = await app.StoredKeysAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml => Assert.Contains("<masterKey", xml, StringComparison.Ordinal));
    }

    [Theory, DatabaseData]
    public async Task With_a_key_certificate_the_keys_in_the_database_are_encrypted_and_nothing_warns(DatabaseProvider provider)
    {
        var app = await proxied.ForAsync(provider);
        await app.IssueAntiforgeryCookieAsync();

        Assert.DoesNotContain(app.Logs.Entries, e => e.Message == StartupTasks.UnencryptedKeysWarning);
        var keys = await app.StoredKeysAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
        });
    }

    private static async Task<string> LastLoginAddressAsync(HttpClient client)
    {
        var logins = await (await client.GetAsync("/api/v1/auth/logins?limit=1", Ct)).JsonAsync();
        return logins["items"]![0]!["ipAddress"]!.GetValue<string>();
    }

    /// <summary>Creates a user (an audited action) and returns the address its audit entry has.</summary>
    private static async Task<string> AuditedAddressAsync(HttpClient root)
    {
        var created = await BankApp.CreateUserAsync(root, "Customer");
        var entries = await (await root.GetAsync($"/api/v1/audit?target={created.UserId}&action=user.created", Ct)).JsonAsync();
        return Assert.Single(entries["items"]!.AsArray())!["ipAddress"]!.GetValue<string>();
    }

    /// <summary>The app on a real Kestrel port on loopback, with its logs kept.</summary>
    public sealed class EdgeApp(DatabaseProvider provider, IReadOnlyDictionary<string, string>? settings = null, TestCertificates? certificates = null)
        : BankApp(provider, settings)
    {
        public LogCollector Logs { get; } = new();

        private Uri _address = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            UseKestrel(0);
            StartServer();
            _address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }

        /// <summary>A client over the loopback port whose requests say they were forwarded for <paramref name="forwardedFor"/> over HTTPS.</summary>
        public HttpClient Via(string? forwardedFor)
        {
            var client = new HttpClient { BaseAddress = _address };
            if (forwardedFor is not null)
            {
                client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
                client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            }

            return client;
        }

        /// <summary>The Super_Admin signed in through <see cref="Via"/>; and the answer to the sign-in.</summary>
        public async Task<(HttpClient Client, HttpResponseMessage SignIn)> SuperAdminViaAsync(string forwardedFor)
        {
            (await SuperAdminAsync()).Dispose();
            var client = Via(forwardedFor);
            var signIn = await client.PostAsJsonAsync("/api/v1/auth/login", new { userId = SuperAdminId, password = SuperAdminPassword }, Ct);
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            var token = (await signIn.Content.ReadFromJsonAsync<LoginBody>(Ct))!.AccessToken;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (client, signIn);
        }

        /// <summary>A sign-in with a wrong password, as forwarded for <paramref name="forwardedFor"/>; its status.</summary>
        public async Task<HttpStatusCode> AttemptSignInAsync(string forwardedFor)
        {
            using var client = Via(forwardedFor);
            using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userId = "56125819999", password = "Not-the-password-1" }, Ct);
            return response.StatusCode;
        }

        /// <summary>Shows the sign-in page, whose form carries an antiforgery token (the first one makes a Data Protection key).</summary>
        public async Task IssueAntiforgeryCookieAsync()
        {
            using var client = Via(null);
            using var page = await client.GetAsync("/Account/SignIn", Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.Contains("csrf", StringComparison.Ordinal));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            certificates?.Dispose();
        }

        /// <summary>The Data Protection keys as the database keeps them.</summary>
        public async Task<List<string>> StoredKeysAsync()
        {
            await using var db = Database.CreateContext();
            return await db.DataProtectionKeys.Select(k => k.Xml ?? "").ToListAsync(Ct);
        }
    }

    /// <summary>No proxy listed and no key certificate (the defaults), on each database.</summary>
    public sealed class DirectApps() : BankApps<EdgeApp>(provider => new EdgeApp(provider));

    /// <summary>The loopback addresses listed as the proxy, and a key certificate of its own, on each database.</summary>
    public sealed class ProxiedApps() : BankApps<EdgeApp>(provider =>
    {
        var certificates = new TestCertificates();
        var (path, password) = certificates.Create("bank-keys");
        return new EdgeApp(provider, new Dictionary<string, string>
        {
            ["ForwardedHeaders:KnownProxies"] = "127.0.0.1, ::1",
            ["DataProtection:CertificatePath"] = path,
            ["DataProtection:CertificatePassword"] = password,
        }, certificates);
    });

    /// <summary>
    /// Apps with a sign-in limit of <see cref="Limit"/> a minute, without and with the loopback proxy listed (SQLite: the
    /// limit is counted in memory, before any database is asked).
    /// </summary>
    public sealed class ThrottleApps : IAsyncDisposable
    {
        public const int Limit = 3;

        private readonly BankApps<EdgeApp> _direct = new(provider => new EdgeApp(provider, new Dictionary<string, string>
        {
            ["Security:SignInAttemptsPerMinutePerIp"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));

        private readonly BankApps<EdgeApp> _proxied = new(provider => new EdgeApp(provider, new Dictionary<string, string>
        {
            ["Security:SignInAttemptsPerMinutePerIp"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ForwardedHeaders:KnownNetworks"] = "127.0.0.0/8, ::1/128",
        }));

        public Task<EdgeApp> Direct() => _direct.ForAsync(DatabaseProvider.Sqlite);

        public Task<EdgeApp> Proxied() => _proxied.ForAsync(DatabaseProvider.Sqlite);

        public async ValueTask DisposeAsync()
        {
            await _direct.DisposeAsync();
            await _proxied.DisposeAsync();
        }
    }
}
