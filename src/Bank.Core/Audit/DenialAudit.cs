using System.Globalization;
using Bank.Core.Jobs;
using Microsoft.Extensions.Options;

namespace Bank.Core.Audit;

/// <summary>
/// The audit of denials (403) given to signed-in users, coalesced per user: the first denial of a user in each window
/// (<c>Retention:DenialWindowSeconds</c>, a minute) is written at once with its request; the others of that window are
/// only counted, and one summary entry ("… and 245 more denials …") is written when the window has ended
/// (<see cref="RetentionJob"/>). A user refused again and again costs the database two rows a minute, not one a request.
/// The trail stays append-only: nothing written is changed.
/// </summary>
public sealed class DenialAudit(TimeProvider clock, IOptions<RetentionOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Window> _open = [];
    private readonly List<Window> _ended = [];

    private TimeSpan Length => TimeSpan.FromSeconds(options.Value.DenialWindowSeconds);

    /// <summary>Records a denial of <paramref name="request"/> (for example "GET /api/v1/users"); writes it when it opens its user's window.</summary>
    public async Task RecordAsync(Actor actor, string request, AuditTrail audit, CancellationToken ct)
    {
        if (Admit(actor, request))
        {
            await audit.WriteAsync(actor, AuditActions.AuthorizationDenied, request, ct);
        }
    }

    /// <summary>Writes one summary for each window that has ended with denials that were only counted; returns how many.</summary>
    public async Task<int> FlushAsync(AuditTrail audit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<Window> due;
        lock (_lock)
        {
            foreach (var (user, window) in _open.Where(w => now >= w.Value.Start + Length).ToList())
            {
                _open.Remove(user);
                Keep(window);
            }

            due = [.. _ended];
            _ended.Clear();
        }

        foreach (var window in due)
        {
            await audit.WriteAsync(window.Actor, AuditActions.AuthorizationDenied, window.Summary(Length), ct);
        }

        return due.Count;
    }

    private bool Admit(Actor actor, string request)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_open.TryGetValue(actor.UserId.Value, out var window))
            {
                if (now < window.Start + Length)
                {
                    window.Count(actor, request);
                    return false;
                }

                Keep(window);
            }

            _open[actor.UserId.Value] = new Window(now, actor, request);
            return true;
        }
    }

    private void Keep(Window window)
    {
        if (window.More > 0)
        {
            _ended.Add(window);
        }
    }

    /// <summary>One user's window: its first denial (written) and what came after it (counted).</summary>
    private sealed class Window(DateTimeOffset start, Actor actor, string first)
    {
        private const int DistinctKept = 100;
        private readonly HashSet<string> _requests = new(StringComparer.Ordinal) { first };
        private string _last = first;

        public DateTimeOffset Start { get; } = start;

        public int More { get; private set; }

        public Actor Actor { get; private set; } = actor;

        public void Count(Actor actor, string request)
        {
            More++;
            Actor = actor;
            _last = request;
            if (_requests.Count < DistinctKept)
            {
                _requests.Add(request);
            }
        }

        public string Summary(TimeSpan length) => string.Create(CultureInfo.InvariantCulture,
            $"… and {More} more denial(s) in the {length.TotalSeconds:0} s from {Start:yyyy-MM-dd HH:mm:ss} UTC, {(_requests.Count >= DistinctKept ? "100+" : _requests.Count.ToString(CultureInfo.InvariantCulture))} different request(s), the last {_last}");
    }
}
