using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Hubs;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Web.Tests.Security;

/// <summary>
/// Finding 3 of the security review: the live balance kept streaming to an open connection after its session ended. Now
/// a sign-out closes the session's connections at once, and any other end (suspension, password reset, idle or absolute
/// expiry) within one check of the sessions of open connections (<see cref="LiveConnectionSweeper.Interval"/>, on the
/// app's clock, which these tests move, each time waiting for the check the move makes due to end).
/// </summary>
public sealed class LiveConnectionFindingsTests(ClockApps apps) : IClassFixture<ClockApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Finding_3_sign_out_closes_the_live_connection_at_once_and_nothing_more_is_streamed(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        await asha.DepositAsync(100m);
        await using var hub = LiveHub.For(app, ravi.Client);
        await hub.StartAsync();

        var logout = await ravi.Client.PostAsync("/api/v1/auth/logout", null, Ct);
        Assert.True(logout.IsSuccessStatusCode, $"logout: {(int)logout.StatusCode}");

        // The clock does not move: the instance that ended the session closes its connections itself.
        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await Transfer(asha, ravi, 5m);
        await Task.Delay(300, Ct);
        Assert.Empty(hub.Updates);
    }

    [Theory]
    [DatabaseData("suspension")]
    [DatabaseData("password reset")]
    [DatabaseData("idle timeout")]
    public async Task Finding_3_a_session_ended_elsewhere_loses_its_live_connection_at_the_next_check(DatabaseProvider provider, string end)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        await asha.DepositAsync(100m);
        await using var hub = LiveHub.For(app, ravi.Client);
        await hub.StartAsync();
        var sweeper = app.Services.GetRequiredService<LiveConnectionSweeper>();

        // A live session keeps its connection across checks, and its stream.
        await CheckAfterAsync(app, sweeper, LiveConnectionSweeper.Interval + TimeSpan.FromSeconds(1));
        await Transfer(asha, ravi, 1m);
        await Eventually.HoldsAsync(() => hub.Updates.Count == 1);
        Assert.False(hub.Closed.IsCompleted, "The connection of a live session was closed.");

        switch (end)
        {
            case "suspension":
                Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync($"/api/v1/users/{ravi.UserId}", new Dictionary<string, string> { ["status"] = "Suspended" })).StatusCode);
                break;
            case "password reset":
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{ravi.UserId}/reset-password", null, Ct)).StatusCode);
                break;
            default:
                // Time alone ends it: the clock goes to one second before the idle limit (Ravi's last activity was
                // before the first check), and the checks on the way find the session alive.
                await CheckAfterAsync(app, sweeper, TimeSpan.FromMinutes(15) - LiveConnectionSweeper.Interval - TimeSpan.FromSeconds(2));
                break;
        }

        Assert.False(hub.Closed.IsCompleted, "The connection was closed before the check.");
        await CheckAfterAsync(app, sweeper, LiveConnectionSweeper.Interval + TimeSpan.FromSeconds(1));
        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Single(hub.Updates);
    }

    /// <summary>
    /// Moves the app's clock by <paramref name="by"/> and waits until the check it makes due has ended, so that what the
    /// test does next is not raced by a check still running (one that read the session before the test ended it).
    /// </summary>
    private static async Task CheckAfterAsync(ClockApp app, LiveConnectionSweeper sweeper, TimeSpan by)
    {
        var before = sweeper.Checks;
        app.Clock.Advance(by);
        await Eventually.HoldsAsync(() => Task.FromResult(sweeper.Checks > before), () => $"no check ended after the clock moved by {by}");
    }

    private static async Task Transfer(Customer from, Customer to, decimal amount)
    {
        var response = await from.Client.PostAsJsonAsync("/api/v1/transactions", new { type = "transfer", amount, toAccountNumber = to.AccountNumber }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }
}
