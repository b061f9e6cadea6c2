using System.Security.Claims;
using Bank.Web.Hubs;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bank.Web.Tests.Security;

/// <summary>
/// SignalR answers a connection's handshake before the hub takes the connection, so a session can end in between (a
/// sign-out through this or another instance). Such a connection must not stream until the next sweep: it is closed as
/// it is taken. Found by ScaleOutTests, whose client started its connection on B and signed out through A at once.
/// </summary>
public sealed class LiveConnectionsTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_connection_taken_after_its_session_ended_is_closed_at_once_and_not_kept()
    {
        var connections = new LiveConnections(NullLogger<LiveConnections>.Instance, _clock);
        var ofOtherSession = new Connection();
        connections.Add(ofOtherSession, "session-2");

        await connections.SessionEndedAsync("session-1");
        var late = new Connection();
        connections.Add(late, "session-1");

        Assert.True(late.Aborted, "The connection of an ended session was not closed.");
        Assert.False(connections.Has(late.ConnectionId));
        Assert.False(ofOtherSession.Aborted, "Another session's connection was closed.");
        Assert.True(connections.Has(ofOtherSession.ConnectionId));
    }

    [Fact]
    public async Task An_end_is_remembered_for_one_sweep_interval_only_the_sweeper_covers_the_rest()
    {
        var connections = new LiveConnections(NullLogger<LiveConnections>.Instance, _clock);
        await connections.SessionEndedAsync("session-1");

        _clock.Advance(LiveConnectionSweeper.Interval - TimeSpan.FromSeconds(1));
        await connections.SessionEndedAsync("session-2");
        var withinInterval = new Connection();
        connections.Add(withinInterval, "session-1");
        Assert.True(withinInterval.Aborted, "An end learnt within the interval was forgotten.");

        _clock.Advance(TimeSpan.FromSeconds(2));
        await connections.SessionEndedAsync("session-3"); // forgets the ends older than the interval
        var afterInterval = new Connection();
        connections.Add(afterInterval, "session-1");
        Assert.False(afterInterval.Aborted, "An end older than the interval was still remembered.");
        Assert.True(connections.Has(afterInterval.ConnectionId));
    }

    /// <summary>A hub connection as the hub sees it; records whether the server closed it.</summary>
    private sealed class Connection : HubCallerContext
    {
        public bool Aborted { get; private set; }

        public override string ConnectionId { get; } = Guid.NewGuid().ToString("N");

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => Aborted = true;
    }
}
