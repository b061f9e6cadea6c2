using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Bank.Web.Tests.Money;

/// <summary>The live balance (SignalR hub <c>/hubs/balance</c>): a movement reaches the open connections of the customers it touched, and no one else's.</summary>
public sealed class LiveBalanceTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Balance_updates_reach_the_receivers_open_connection_and_no_one_else(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        var meera = await app.NewAsync(admin);
        await asha.DepositAsync(100m);
        var received = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var raviHub = LiveHub.For(app, ravi.Client);
        await using var meeraHub = LiveHub.For(app, meera.Client);
        raviHub.Connection.On<JsonObject>("balanceChanged", u => received.TrySetResult(u));
        await raviHub.StartAsync();
        await meeraHub.StartAsync();

        await asha.Client.MoveAsync($$"""{"type":"transfer","amount":40.25,"toAccountNumber":"{{ravi.AccountNumber}}","narration":"lunch"}""");

        var update = await received.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(40.25m, update["balance"]!.GetValue<decimal>());
        Assert.Equal("in", update["line"]!["direction"]!.GetValue<string>());
        Assert.Equal("lunch", update["line"]!["narration"]!.GetValue<string>());
        Assert.Equal(asha.AccountNumber, update["line"]!["counterpartyAccountNumber"]!.GetValue<string>());
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(raviHub.Updates);
        Assert.Empty(meeraHub.Updates);

        // Staff have no balance to watch: the hub is for customers.
        await using var staffHub = LiveHub.For(app, admin);
        await Assert.ThrowsAnyAsync<Exception>(staffHub.StartAsync);
    }
}
