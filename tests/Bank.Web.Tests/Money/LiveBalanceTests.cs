using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
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
        var raviUpdates = new List<JsonObject>();
        var meeraUpdates = new List<JsonObject>();
        var received = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var raviHub = Connect(app, ravi);
        await using var meeraHub = Connect(app, meera);
        raviHub.On<JsonObject>("balanceChanged", u =>
        {
            raviUpdates.Add(u);
            received.TrySetResult(u);
        });
        meeraHub.On<JsonObject>("balanceChanged", meeraUpdates.Add);
        await raviHub.StartAsync(TestContext.Current.CancellationToken);
        await meeraHub.StartAsync(TestContext.Current.CancellationToken);

        await asha.Client.MoveAsync($$"""{"type":"transfer","amount":40.25,"toAccountNumber":"{{ravi.AccountNumber}}","narration":"lunch"}""");

        var update = await received.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(40.25m, update["balance"]!.GetValue<decimal>());
        Assert.Equal("in", update["line"]!["direction"]!.GetValue<string>());
        Assert.Equal("lunch", update["line"]!["narration"]!.GetValue<string>());
        Assert.Equal(asha.AccountNumber, update["line"]!["counterpartyAccountNumber"]!.GetValue<string>());
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(raviUpdates);
        Assert.Empty(meeraUpdates);

        // Staff have no balance to watch: the hub is for customers.
        await using var staffHub = Connect(app, token: Token(admin));
        await Assert.ThrowsAnyAsync<Exception>(() => staffHub.StartAsync(TestContext.Current.CancellationToken));
    }

    private static HubConnection Connect(BankApp app, Customer? customer = null, string? token = null)
    {
        var bearer = token ?? Token(customer!.Client);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/balance"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
            })
            .Build();
    }

    private static string Token(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;
}
