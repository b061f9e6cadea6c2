using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace Bank.Web.Hubs;

/// <summary>
/// Live balance for a customer's open pages. Each connection joins its user's group; the server only sends.
/// The connection is authorized by the same database session as every other request, and ends with it (<see cref="LiveConnections"/>).
/// </summary>
public sealed class BalanceHub(LiveConnections connections) : Hub
{
    /// <summary>Where the hub listens.</summary>
    public const string Path = "/hubs/balance";

    /// <summary>The message a customer's pages receive after a movement: <c>{balance, line}</c>.</summary>
    public const string BalanceChanged = "balanceChanged";

    /// <summary>The group of one customer's connections.</summary>
    public static string GroupOf(UserId userId) => "user-" + userId;

    /// <inheritdoc/>
    public override async Task OnConnectedAsync()
    {
        var actor = Context.GetHttpContext()?.ToActor() ?? throw new HubException("Not signed in.");
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(actor.UserId));
        connections.Add(Context, actor.SessionId ?? throw new HubException("Not signed in."));
        await base.OnConnectedAsync();
    }

    /// <inheritdoc/>
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// Sends each affected customer their new balance and the new statement line. With several instances the message goes
/// through Redis (the SignalR backplane) to whichever instance holds their pages; while Redis is away nothing is sent
/// (at once, rather than after the backplane's 5-second timeout on every movement): the pages catch up on their next load.
/// </summary>
public sealed partial class HubBalanceUpdates(IHubContext<BalanceHub> hub, ILogger<HubBalanceUpdates> log, BankRedis? redis = null) : IBalanceUpdates
{
    /// <inheritdoc/>
    public async Task PublishAsync(IReadOnlyList<BalanceUpdate> updates, CancellationToken ct)
    {
        if (redis is { IsConnected: false })
        {
            LogRedisAway(updates.Count);
            return;
        }

        foreach (var update in updates)
        {
            await hub.Clients.Group(BalanceHub.GroupOf(update.UserId))
                .SendAsync(BalanceHub.BalanceChanged, new { balance = update.Balance, line = update.Line }, ct);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Redis is away: {Count} balance update(s) not sent live; the pages show them on their next load.")]
    private partial void LogRedisAway(int count);
}
