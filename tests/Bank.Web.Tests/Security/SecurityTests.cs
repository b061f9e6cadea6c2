using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Security;

/// <summary>Security by default: headers, cookie flags, antiforgery on cookie-authenticated API calls, password hashes, audit trail.</summary>
public sealed class SecurityTests(BankApps apps, ProductionHashingApps hashingApps) : IClassFixture<BankApps>, IClassFixture<ProductionHashingApps>
{
    [Theory]
    [DatabaseData("/api/v1/auth/me", true)]
    [DatabaseData("/api/v1/users", true)]
    [DatabaseData("/health/live", false)]
    public async Task Every_response_carries_the_security_headers(DatabaseProvider provider, string url, bool signedIn)
    {
        var app = await apps.ForAsync(provider);
        var client = signedIn ? await app.SuperAdminAsync() : app.CreateClient();
        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.Contains("Referrer-Policy"));
        Assert.Contains("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    [Theory, DatabaseData]
    public async Task The_session_cookie_is_httponly_secure_strict_and_cookie_posts_need_the_antiforgery_token(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, userId) = await app.ActiveUserAsync(admin, "Admin");
        var handler = new CookieClient(app);

        var login = await handler.SignInAsync(userId, app.LastPasswords[userId]);
        Assert.Null((await login.JsonAsync())["accessToken"]);
        // Finding 9: outside Development the cookie has the __Host- prefix (Secure, path /, no Domain), so no subdomain can plant one.
        var setCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-bank_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", setCookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", setCookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await handler.Client.GetAsync("/api/v1/users")).StatusCode);
        var before = await UserCountAsync(app);
        var forged = await handler.Client.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser("Customer"));
        await forged.AssertProblemAsync(HttpStatusCode.BadRequest, "antiforgery");
        Assert.Equal(before, await UserCountAsync(app));

        var antiforgery = await handler.Client.GetAsync("/api/v1/auth/antiforgery");
        var csrfCookie = antiforgery.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-bank_csrf=", StringComparison.Ordinal));
        Assert.Contains("secure", csrfCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", csrfCookie, StringComparison.OrdinalIgnoreCase);
        var token = await antiforgery.JsonAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users") { Content = JsonContent.Create(TestUsers.NewUser("Customer")) };
        request.Headers.Add(token["headerName"]!.GetValue<string>(), token["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await handler.Client.SendAsync(request)).StatusCode);
    }

    [Theory, DatabaseData]
    public async Task A_page_form_posted_with_the_session_cookie_but_without_the_antiforgery_token_is_refused(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (_, userId) = await app.ActiveUserAsync(await app.SuperAdminAsync(), "Customer");
        var browser = new CookieClient(app);
        await browser.SignInAsync(userId, app.LastPasswords[userId]);

        var forged = await browser.Client.PostAsync("/Account/SignOut", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory, DatabaseData]
    public async Task A_new_cookie_sign_in_gets_a_new_session_id_and_ends_the_old_one(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (_, userId) = await app.ActiveUserAsync(await app.SuperAdminAsync(), "Customer");
        var browser = new CookieClient(app);
        await browser.SignInAsync(userId, app.LastPasswords[userId]);
        var first = browser.SessionCookie();
        await browser.SignInAsync(userId, app.LastPasswords[userId]);
        var second = browser.SessionCookie();

        Assert.NotEqual(first, second);
        var stale = app.CreateClient();
        stale.DefaultRequestHeaders.Add("Cookie", $"__Host-bank_session={first}");
        await (await stale.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, DatabaseData]
    public async Task Passwords_are_stored_as_pbkdf2_sha512_hashes_with_at_least_210000_iterations(DatabaseProvider provider)
    {
        // The other tests' apps hash with fewer iterations, to run quickly; this one hashes as configured.
        var app = await hashingApps.ForAsync(provider);
        var created = await BankApp.CreateUserAsync(await app.SuperAdminAsync(), "Customer");
        await using var db = app.Database.CreateContext();
        var hash = await db.Users.Where(u => u.Id == long.Parse(created.UserId)).Select(u => u.PasswordHash).SingleAsync();
        var bytes = Convert.FromBase64String(hash);

        Assert.DoesNotContain(created.TemporaryPassword, hash, StringComparison.Ordinal);
        Assert.Equal(0x01, bytes[0]); // Identity V3 format
        Assert.Equal(2u, ReadUInt32(bytes, 1)); // HMACSHA512
        Assert.True(ReadUInt32(bytes, 5) >= 210_000);
    }

    [Theory, DatabaseData]
    public async Task Management_actions_and_denials_go_to_the_audit_trail(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (employee, employeeId) = await app.ActiveUserAsync(admin, "Employee");
        var target = await BankApp.CreateUserAsync(admin, "Customer");
        await admin.PatchJsonAsync($"/api/v1/users/{target.UserId}", new { status = "Suspended" });
        await admin.PostAsync($"/api/v1/users/{target.UserId}/reset-password", null);
        await admin.PostAsync($"/api/v1/users/{target.UserId}/unlock", null);
        await employee.PostAsync($"/api/v1/users/{target.UserId}/reset-password", null);

        await using var db = app.Database.CreateContext();
        var targetId = long.Parse(target.UserId);
        var actions = await db.AuditEvents.Where(e => e.TargetUserId == targetId).Select(e => e.Action).ToListAsync();
        Assert.Contains("user.created", actions);
        Assert.Contains("user.status-changed", actions);
        Assert.Contains("user.password-reset", actions);
        Assert.Contains("user.unlocked", actions);
        var denied = await db.AuditEvents.Where(e => e.Action == "authorization.denied" && e.ActorUserId == long.Parse(employeeId)).ToListAsync();
        Assert.Contains(denied, e => e.Details!.Contains($"/api/v1/users/{target.UserId}/reset-password", StringComparison.Ordinal));
    }

    private static async Task<int> UserCountAsync(BankApp app)
    {
        await using var db = app.Database.CreateContext();
        return await db.Users.CountAsync();
    }

    private static uint ReadUInt32(byte[] b, int at) => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);
}

