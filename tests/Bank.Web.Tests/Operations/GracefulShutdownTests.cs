using System.Diagnostics;
using System.Net;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bank.Web.Tests.Operations;

/// <summary>
/// SIGTERM to the server process in the middle of a burst of transfers: the instance drains (in-flight transfers commit
/// and are answered), exits by itself within <c>Shutdown:TimeoutSeconds</c>, and after a restart on the same database
/// every acknowledged transfer is in the books, none is half-applied, no money appeared or vanished, the ledger verifies.
/// </summary>
public sealed class GracefulShutdownTests(BankApps apps) : IClassFixture<BankApps>
{
    private const int Transfers = 200;

    [Theory, DatabaseData]
    public async Task SIGTERM_during_a_burst_of_transfers_keeps_every_acknowledged_one_and_tears_none(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var customers = await TransferBurst.CustomersAsync(app, count: 4, deposit: 1000m);
        long moneyBefore;
        await using (var db = app.Database.CreateContext())
        {
            moneyBefore = await TransferBurst.CustomerMoneyAsync(db);
        }

        var timeout = TimeSpan.FromSeconds(30);
        (string, string)[] settings =
        [
            ("Shutdown__TimeoutSeconds", ((int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Logging__LogLevel__Bank.Web.Infrastructure.Shutdown", "Information"),
        ];
        var burst = new TransferBurst();
        long terminatedAt;
        await using (var server = await BankServer.StartAsync(provider, app.Database.ConnectionString, settings))
        {
            var clients = customers.ToDictionary(c => c.UserId, c => server.Client(c.Client));
            await using var hub = LiveConnection(server, customers[0]);
            var hubClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            hub.Closed += _ =>
            {
                hubClosed.TrySetResult();
                return Task.CompletedTask;
            };
            await hub.StartAsync(TestContext.Current.CancellationToken);
            var running = burst.RunAsync(customers, c => clients[c.UserId], Transfers, workers: 40);
            await Eventually.HoldsAsync(() => burst.Acknowledged.Count >= 40 || running.IsCompleted);
            Assert.False(running.IsCompleted, "The burst was over before SIGTERM could be sent in its middle.");

            terminatedAt = Stopwatch.GetTimestamp();
            await server.TerminateAsync();
            await running;
            // Done when the work is done, not when the time is up: a live connection left open would hold the drain to the end.
            Assert.True(await server.ExitedWithinAsync(TimeSpan.FromSeconds(10)), $"The server did not stop by itself within 10 s:\n{server.Output}");
            Assert.True(hubClosed.Task.IsCompleted, "The live-balance connection was not closed by the stopping server.");
            Assert.True(server.ExitCode == 0, server.Output);
            Assert.Contains("Stopping: /health/ready answers 503", server.Output, StringComparison.Ordinal);
            Assert.Contains("Stopped: drained in", server.Output, StringComparison.Ordinal);
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        // The transfers in flight when SIGTERM came were finished and answered, not cut off.
        Assert.Contains(burst.Acknowledged.Values, a => a.At > terminatedAt);
        Assert.True(burst.Acknowledged.Count + burst.Failed == Transfers, $"{burst.Acknowledged.Count} acknowledged, {burst.Failed} failed.");

        await using (var restarted = await BankServer.StartAsync(provider, app.Database.ConnectionString))
        {
            // Each payer finds each of its acknowledged transfers through the restarted instance.
            var clients = customers.ToDictionary(c => c.UserId, c => restarted.Client(c.Client));
            foreach (var (id, acknowledged) in burst.Acknowledged)
            {
                using var response = await clients[acknowledged.Payer.UserId].GetAsync($"/api/v1/transactions/{id}", TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"Acknowledged transfer {id} is not in the books after the restart ({response.StatusCode}).");
            }

            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        await using (var db = app.Database.CreateContext())
        {
            await TransferBurst.AssertInTheBooksAsync(db, [.. burst.Acknowledged.Keys]);
            await TransferBurst.AssertNoneHalfAppliedAsync(db);
            Assert.Equal(moneyBefore, await TransferBurst.CustomerMoneyAsync(db));
        }

        var verify = await BankProcess.RunAsync(provider, app.Database.ConnectionString, ["verify-ledger"]);
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    /// <summary>A live-balance connection (WebSockets) of the customer to the server process.</summary>
    private static HubConnection LiveConnection(BankServer server, Customer customer)
    {
        var bearer = customer.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.Address, "/hubs/balance"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
            })
            .Build();
    }

    [Theory, DatabaseData]
    public async Task Readiness_answers_503_as_soon_as_the_instance_begins_to_stop(DatabaseProvider provider)
    {
        // An app of its own: it is stopped by the test.
        await using var app = new BankApp(provider);
        await app.InitializeAsync();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);

        // Asked from inside the stop signal, before the host goes on to stop the server: what a load balancer sees first.
        // (Blocking here on purpose: once the callback returns, the host stops and the in-memory server with it.)
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var seen = new List<HttpStatusCode>();
#pragma warning disable xUnit1031, VSTHRD002
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var path in (string[])["/health/ready", "/health/live"])
            {
                seen.Add(client.GetAsync(path).GetAwaiter().GetResult().StatusCode);
            }
        });
#pragma warning restore xUnit1031, VSTHRD002
        lifetime.StopApplication();

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], seen);
    }
}
