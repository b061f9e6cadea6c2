using System.Text.Json.Nodes;
using Bank.Web.Hubs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Web.Tests.Infrastructure;

/// <summary>A SignalR client of the balance hub (<c>/hubs/balance</c>) on the test server, keeping what it receives.</summary>
public sealed class LiveHub : IAsyncDisposable
{
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly BankApp _app;

    private LiveHub(BankApp app, HubConnection connection)
    {
        _app = app;
        Connection = connection;
        connection.On<JsonObject>("balanceChanged", update =>
        {
            lock (Updates)
            {
                Updates.Add(update);
            }
        });
        connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    /// <summary>The connection.</summary>
    public HubConnection Connection { get; }

    /// <summary>Every <c>balanceChanged</c> message received so far.</summary>
    public List<JsonObject> Updates { get; } = [];

    /// <summary>Ends when the server closes the connection.</summary>
    public Task Closed => _closed.Task;

    /// <summary>A connection (not started) authorized by the bearer token of <paramref name="client"/>, over long polling.</summary>
    public static LiveHub For(BankApp app, HttpClient client)
    {
        var bearer = client.DefaultRequestHeaders.Authorization!.Parameter!;
        return new LiveHub(app, new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/balance"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
            })
            .Build());
    }

    /// <summary>Starts the connection and waits until the server has it in its user's group (the handshake's answer comes first).</summary>
    public async Task StartAsync()
    {
        await Connection.StartAsync(TestContext.Current.CancellationToken);
        var open = _app.Services.GetRequiredService<LiveConnections>();
        for (var i = 0; i < 100 && !open.Has(Connection.ConnectionId!); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(open.Has(Connection.ConnectionId!), "The server did not take the live connection.");
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
