using System.Net;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Jobs;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Security;

/// <summary>
/// Finding 10 of the security review: nothing was ever cleaned up, and every 403 wrote an audit row through the single
/// SQLite writer. Now the retention job (<see cref="RetentionJob"/>, on the app's clock, which these tests move) purges
/// ended sessions and old Idempotency-Keys, and a user's repeated denials make one entry and one summary a minute.
/// </summary>
public sealed class RetentionFindingsTests(ClockApps apps) : IClassFixture<ClockApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Finding_10_a_users_repeated_denials_make_one_audit_entry_and_one_summary_a_window(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var customer = await app.NewAsync(await app.SuperAdminAsync());
        var id = long.Parse(customer.UserId);

        for (var i = 0; i < 40; i++)
        {
            await (await customer.Client.GetAsync(i % 2 == 0 ? "/api/v1/users" : "/api/v1/ledger/verify", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Equal(["GET /api/v1/users"], await DenialsAsync(app, id));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await Eventually.HoldsAsync(async () => (await DenialsAsync(app, id)).Count == 2);
        var summary = (await DenialsAsync(app, id))[1];
        Assert.Contains("39 more denial(s)", summary, StringComparison.Ordinal);
        Assert.Contains("2 different request(s)", summary, StringComparison.Ordinal);

        // The next denial opens a new window and is written at once.
        await (await customer.Client.GetAsync("/api/v1/users", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(3, (await DenialsAsync(app, id)).Count);
    }

    [Theory, DatabaseData]
    public async Task Finding_10_ended_sessions_and_old_idempotency_keys_are_purged_and_the_history_stays(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var customer = await app.NewAsync(await app.SuperAdminAsync());
        var id = long.Parse(customer.UserId);
        var second = await app.SignInAsync(customer.UserId, app.LastPasswords[customer.UserId]);
        Assert.True((await second.PostAsync("/api/v1/auth/logout", null, Ct)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Created, (await customer.Client.MoveAsync("""{"type":"credit","amount":5}""", idempotencyKey: "retention-1")).StatusCode);
        var (sessions, keys, logins) = await CountsAsync(app, id);
        Assert.True(sessions >= 2 && keys == 1, $"sessions {sessions}, keys {keys}");

        // Eight days on, every one of these sessions ended more than the seven days of Retention:EndedSessionDays ago.
        app.Clock.Advance(TimeSpan.FromDays(8));
        await Eventually.HoldsAsync(async () => await CountsAsync(app, id) is (0, 0, _));
        Assert.Equal(logins, (await CountsAsync(app, id)).Logins);

        // A live session is kept by the next purge.
        await app.SignInAsync(customer.UserId, app.LastPasswords[customer.UserId]);
        app.Clock.Advance(RetentionJob.PurgeEvery + TimeSpan.FromMinutes(1));
        await Task.Delay(500, Ct);
        Assert.Equal(1, (await CountsAsync(app, id)).Sessions);
    }

    private static async Task<List<string>> DenialsAsync(BankApp app, long actor)
    {
        await using var db = app.Database.CreateContext();
        return await db.AuditEvents.Where(e => e.Action == AuditActions.AuthorizationDenied && e.ActorUserId == actor)
            .OrderBy(e => e.Id).Select(e => e.Details!).ToListAsync(Ct);
    }

    private static async Task<(int Sessions, int Keys, int Logins)> CountsAsync(BankApp app, long user)
    {
        await using var db = app.Database.CreateContext();
        return (await db.Sessions.CountAsync(s => s.UserId == user, Ct),
            await db.IdempotencyRecords.CountAsync(r => r.UserId == user, Ct),
            await db.LoginAttempts.CountAsync(a => a.UserId == user, Ct));
    }
}
