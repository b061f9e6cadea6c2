using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bank.Web.Tests.Infrastructure.TwoFactorSteps;

namespace Bank.Web.Tests.Auth;

/// <summary>
/// The second factor (TOTP) with <c>Security:RequireStaffTwoFactor</c> on: enrolment, the second step of a sign-in, single
/// use of codes, recovery codes, the lockout, the gate for staff without one, and the administrators' reset. The app's clock
/// is a fake one that the codes are computed from, so each step is chosen, never waited for.
/// </summary>
public sealed class TwoFactorTests(TwoFactorApps apps) : IClassFixture<TwoFactorApps>
{
    private static readonly ConcurrentDictionary<ClockApp, string> SuperAdminSecrets = new();

    [Theory, DatabaseData]
    public async Task An_admin_changes_the_one_time_password_then_must_enrol_before_anything_else(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await SuperAdminAsync(app);
        var created = await BankApp.CreateUserAsync(admin, "Admin");
        var (client, login) = await LoginAsync(app, created.UserId, created.TemporaryPassword);
        Assert.Equal("enrol", login["twoFactor"]!.GetValue<string>());
        Assert.True(login["mustChangePassword"]!.GetValue<bool>());

        // First the new password, then the enrolment: until both are done only their own routes, me and logout open.
        await (await client.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "password-change-required");
        var newPassword = TestUsers.StrongPassword();
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword = created.TemporaryPassword, newPassword })).StatusCode);
        await (await client.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        await (await client.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser("Customer"))).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        await (await client.GetAsync("/api/v1/auth/logins")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);

        var enrolment = await (await client.PostAsync("/api/v1/auth/two-factor/enrol", null)).JsonAsync();
        var secret = enrolment["secret"]!.GetValue<string>();
        Assert.Equal(32, secret.Length);
        var uri = new Uri(enrolment["otpauthUri"]!.GetValue<string>());
        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Contains($"secret={secret}", uri.Query, StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA1", uri.Query, StringComparison.Ordinal);
        Assert.Contains("digits=6", uri.Query, StringComparison.Ordinal);
        Assert.Contains("period=30", uri.Query, StringComparison.Ordinal);
        Assert.Contains(created.UserId, uri.AbsolutePath, StringComparison.Ordinal);

        // Not on until a right code confirms it.
        var wrong = await client.PostAsJsonAsync("/api/v1/auth/two-factor/confirm", new { code = OtherCode(app.Clock, secret) });
        Assert.Equal(["code"], (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        await (await client.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        Assert.False((await (await admin.GetAsync($"/api/v1/users/{created.UserId}")).JsonAsync())["twoFactorEnabled"]!.GetValue<bool>());

        var confirm = await client.PostAsJsonAsync("/api/v1/auth/two-factor/confirm", new { code = Code(app.Clock, secret) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var codes = (await confirm.JsonAsync())["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);
        Assert.True((await (await admin.GetAsync($"/api/v1/users/{created.UserId}")).JsonAsync())["twoFactorEnabled"]!.GetValue<bool>());

        // From now on the password alone opens nothing; a second enrolment is refused (an administrator resets it).
        var (next, again) = await LoginAsync(app, created.UserId, newPassword);
        Assert.Equal("required", again["twoFactor"]!.GetValue<string>());
        await (await next.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        await (await client.PostAsync("/api/v1/auth/two-factor/enrol", null)).AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        await using var db = app.Database.CreateContext();
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.TwoFactorEnabled && a.TargetUserId == Id(created.UserId)));
        // Stored: the secret only protected, the recovery codes only hashed.
        var key = await db.TwoFactorKeys.SingleAsync(k => k.UserId == Id(created.UserId));
        Assert.DoesNotContain(secret, key.ProtectedSecret, StringComparison.Ordinal);
        var hashes = await db.RecoveryCodes.Where(r => r.UserId == Id(created.UserId)).Select(r => r.CodeHash).ToListAsync();
        Assert.Equal(10, hashes.Count);
        Assert.Empty(hashes.Intersect(codes.Concat(codes.Select(c => c.Replace("-", "", StringComparison.Ordinal)))));
    }

    [Theory, DatabaseData]
    public async Task A_code_completes_the_sign_in_once_and_the_same_code_is_refused_after(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (userId, password, secret, _) = await EnrolledAsync(app, "Admin");

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = Code(app.Clock, secret);
        var (client, login) = await LoginAsync(app, userId, password);
        Assert.Equal("required", login["twoFactor"]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        var done = await client.PostAsJsonAsync("/api/v1/auth/two-factor", new { code });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(userId, (await done.JsonAsync())["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);
        await (await client.PostAsJsonAsync("/api/v1/auth/two-factor", new { code })).AssertProblemAsync(HttpStatusCode.Conflict, "conflict");

        // The same code in its own window again, from another sign-in: refused. The next window's code is accepted.
        var (other, _) = await LoginAsync(app, userId, password);
        var replay = await other.PostAsJsonAsync("/api/v1/auth/two-factor", new { code });
        Assert.Equal(["code"], (await replay.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        await (await other.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync("/api/v1/auth/two-factor", new { code = Code(app.Clock, secret) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/users")).StatusCode);
    }

    [Theory, DatabaseData]
    public async Task One_code_sent_by_two_sign_ins_at_once_completes_only_one(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (userId, password, secret, _) = await EnrolledAsync(app, "Employee");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = Code(app.Clock, secret);
        var clients = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            clients.Add((await LoginAsync(app, userId, password)).Client);
        }

        var answers = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync("/api/v1/auth/two-factor", new { code })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest));
    }

    [Theory, DatabaseData]
    public async Task Wrong_codes_are_audited_and_count_toward_the_lockout_even_across_new_sign_ins(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await SuperAdminAsync(app);
        var (userId, password, secret, _) = await EnrolledAsync(app, "Admin");
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        // A new sign-in with the right password forgives nothing while its code is still to come.
        for (var i = 0; i < 4; i++)
        {
            var (guesser, _) = await LoginAsync(app, userId, password);
            var wrong = await guesser.PostAsJsonAsync("/api/v1/auth/two-factor", new { code = OtherCode(app.Clock, secret) });
            Assert.Equal(["code"], (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        }

        var (last, _) = await LoginAsync(app, userId, password);
        var fifth = await last.PostAsJsonAsync("/api/v1/auth/two-factor", new { code = OtherCode(app.Clock, secret) });
        await fifth.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        // The lock ends the session, and the right password and code no longer help.
        await (await last.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var locked = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId, password });
        await locked.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal(5, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.TwoFactorFailed && a.TargetUserId == Id(userId)));
        }

        // Unlocked, a wrong code counts again; a right one completes the sign-in and forgives the count.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{userId}/unlock", null)).StatusCode);
        var (client, _) = await LoginAsync(app, userId, password);
        await (await client.PostAsJsonAsync("/api/v1/auth/two-factor", new { code = OtherCode(app.Clock, secret) })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(1, await FailedCountAsync(app, userId));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/two-factor", new { code = Code(app.Clock, secret) })).StatusCode);
        Assert.Equal(0, await FailedCountAsync(app, userId));
    }

    [Theory, DatabaseData]
    public async Task A_recovery_code_works_once(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (userId, password, _, codes) = await EnrolledAsync(app, "Admin");

        var (client, _) = await LoginAsync(app, userId, password);
        // Typed in lower case and without its hyphen, it still counts.
        var typed = codes[3].Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/two-factor", new { recoveryCode = typed })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);

        var (again, _) = await LoginAsync(app, userId, password);
        var used = await again.PostAsJsonAsync("/api/v1/auth/two-factor", new { recoveryCode = codes[3] });
        Assert.Equal(["recoveryCode"], (await used.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        var both = await again.PostAsJsonAsync("/api/v1/auth/two-factor", new { code = "123456", recoveryCode = codes[4] });
        await both.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(HttpStatusCode.OK, (await again.PostAsJsonAsync("/api/v1/auth/two-factor", new { recoveryCode = codes[4] })).StatusCode);

        await using var db = app.Database.CreateContext();
        var audited = await db.AuditEvents.Where(a => a.Action == AuditActions.RecoveryCodeUsed && a.TargetUserId == Id(userId)).Select(a => a.Details).ToListAsync();
        Assert.Equal(["9 recovery codes left", "8 recovery codes left"], audited);
    }

    [Theory, DatabaseData]
    public async Task Employees_and_customers_need_no_second_factor_but_may_enrol_one(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await SuperAdminAsync(app);
        foreach (var role in new[] { "Employee", "Customer" })
        {
            var created = await BankApp.CreateUserAsync(admin, role);
            var (client, password) = await app.FirstSignInAsync(created);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/logins")).StatusCode);
            var (_, login) = await LoginAsync(app, created.UserId, password);
            Assert.Null(login["twoFactor"]);
        }

        var (userId, employeePassword, _, _) = await EnrolledAsync(app, "Employee");
        Assert.Equal("required", (await LoginAsync(app, userId, employeePassword)).Login["twoFactor"]!.GetValue<string>());
    }

    [Theory, DatabaseData]
    public async Task An_administrator_resets_a_second_factor_by_the_permission_matrix_audited_ending_the_sessions(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var superAdmin = await SuperAdminAsync(app);
        var (adminId, adminPassword, adminSecret, _) = await EnrolledAsync(app, "Admin");
        var (employeeId, employeePassword, employeeSecret, _) = await EnrolledAsync(app, "Employee");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var admin = await CompleteAsync(app, app.Clock, adminId, adminPassword, adminSecret);
        var employee = await CompleteAsync(app, app.Clock, employeeId, employeePassword, employeeSecret);

        // An Employee resets nobody's; an Admin no Super_Admin's nor their own; a Super_Admin not their own.
        await (await employee.DeleteAsync($"/api/v1/users/{adminId}/two-factor")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.DeleteAsync($"/api/v1/users/{BankApp.SuperAdminId}/two-factor")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.DeleteAsync($"/api/v1/users/{adminId}/two-factor")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await superAdmin.DeleteAsync($"/api/v1/users/{BankApp.SuperAdminId}/two-factor")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await superAdmin.DeleteAsync("/api/v1/users/99999999999/two-factor")).AssertProblemAsync(HttpStatusCode.NotFound);

        // An Admin resets an Employee's: the employee's sessions end and the password alone signs them in again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{employeeId}/two-factor")).StatusCode);
        await (await employee.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null((await LoginAsync(app, employeeId, employeePassword)).Login["twoFactor"]);

        // A Super_Admin resets an Admin's: the Admin must enrol again at the next sign-in.
        Assert.Equal(HttpStatusCode.NoContent, (await superAdmin.DeleteAsync($"/api/v1/users/{adminId}/two-factor")).StatusCode);
        await (await admin.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var (again, login) = await LoginAsync(app, adminId, adminPassword);
        Assert.Equal("enrol", login["twoFactor"]!.GetValue<string>());
        await (await again.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");

        await using var db = app.Database.CreateContext();
        var resets = await db.AuditEvents.Where(a => a.Action == AuditActions.TwoFactorReset).Select(a => new { a.ActorUserId, a.TargetUserId }).ToListAsync();
        Assert.Contains(resets, r => r.ActorUserId == Id(adminId) && r.TargetUserId == Id(employeeId));
        Assert.Contains(resets, r => r.ActorUserId == Id(BankApp.SuperAdminId) && r.TargetUserId == Id(adminId));
        Assert.False(await db.TwoFactorKeys.AnyAsync(k => k.UserId == Id(adminId) || k.UserId == Id(employeeId)));
    }

    private static long Id(string userId) => long.Parse(userId, CultureInfo.InvariantCulture);

    private static async Task<int> FailedCountAsync(ClockApp app, string userId)
    {
        await using var db = app.Database.CreateContext();
        return await db.Users.Where(u => u.Id == Id(userId)).Select(u => u.AccessFailedCount).SingleAsync();
    }

    /// <summary>A new user of the role with a password of their own and a confirmed second factor.</summary>
    private static async Task<(string UserId, string Password, string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolledAsync(ClockApp app, string role)
    {
        var created = await BankApp.CreateUserAsync(await SuperAdminAsync(app), role);
        var (client, password) = await app.FirstSignInAsync(created);
        var (secret, codes) = await EnrolAsync(app.Clock, client);
        return (created.UserId, password, secret, codes);
    }

    /// <summary>
    /// The bootstrap Super_Admin with a complete session. The first time (per app), its first sign-in: the one-time
    /// password is replaced first, then the second factor enrolled, and until then staff endpoints answer 403.
    /// </summary>
    private static async Task<HttpClient> SuperAdminAsync(ClockApp app)
    {
        if (SuperAdminSecrets.TryGetValue(app, out var known))
        {
            app.Clock.Advance(TimeSpan.FromSeconds(30));
            return await CompleteAsync(app, app.Clock, BankApp.SuperAdminId, BankApp.SuperAdminPassword, known);
        }

        var client = await app.SuperAdminAsync();
        Assert.Equal("enrol", (await LoginAsync(app, BankApp.SuperAdminId, BankApp.SuperAdminPassword)).Login["twoFactor"]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "two-factor-required");
        var (secret, _) = await EnrolAsync(app.Clock, client);
        SuperAdminSecrets[app] = secret;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);
        return client;
    }
}
