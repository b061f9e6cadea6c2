using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bank.Core;

/// <summary>
/// The bank's own meter, <c>Bank</c> (docs/operations.md, "Metrics and alerts"): money movements by type, refusals by
/// problem type, sign-ins by outcome, the outbox (read from the database, at most every few seconds) and SQLite's write gate.
/// </summary>
public sealed partial class BankMetrics
{
    /// <summary>The meter's name, which the exporters listen to.</summary>
    public const string MeterName = "Bank";

    /// <summary>How long one reading of the outbox serves scrapes (so that scrapes do not query the database each time).</summary>
    public static readonly TimeSpan OutboxReadingLifetime = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> KnownRefusals = FailureTypes.All.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);

    private readonly Counter<long> _movements;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _signIns;
    private readonly UpDownCounter<long> _gateQueue;
    private readonly Histogram<double> _gateWait;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<BankMetrics> _logger;
    private readonly Lock _outboxLock = new();
    private OutboxReading? _outbox;

    /// <summary>Creates the instruments on the host's meter factory.</summary>
    public BankMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, ILogger<BankMetrics> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _movements = meter.CreateCounter<long>("bank.money.movements", "{movement}",
            "Money movements committed, by type (credit, debit, transfer).");
        _refusals = meter.CreateCounter<long>("bank.refusals", "{refusal}",
            "Requests refused with a problem type of the failure table, by type (insufficient-funds, validation, forbidden, …).");
        _signIns = meter.CreateCounter<long>("bank.sign_ins", "{attempt}",
            "Sign-in attempts recorded, by outcome (success, wrong_password, unknown_user, locked_out, not_active).");
        _gateQueue = meter.CreateUpDownCounter<long>("bank.write_gate.queue_length", "{write}",
            "Writes waiting for SQLite's single writer in this process.");
        _gateWait = meter.CreateHistogram<double>("bank.write_gate.wait", "ms",
            "How long a write waited for SQLite's single writer.");
        meter.CreateObservableGauge("bank.outbox.pending", () => Outbox()?.Pending ?? [], "{mail}",
            "Mails waiting in the outbox to be sent.");
        meter.CreateObservableGauge("bank.outbox.oldest_pending_age", () => Outbox()?.OldestAge ?? [], "s",
            "Age of the oldest mail waiting in the outbox (0 when none waits).");
        meter.CreateObservableGauge("bank.outbox.failed", () => Outbox()?.Failed ?? [], "{mail}",
            "Mails that failed for good and wait for a Super_Admin's retry.");
    }

    /// <summary>A movement was committed.</summary>
    public void MoneyMoved(TransactionType type) => _movements.Add(1, new KeyValuePair<string, object?>("type", type.Name()));

    /// <summary>A refusal became an answer (problem details, or a page showing it); unknown codes count as <c>other</c>.</summary>
    public void Refused(string code) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("type", KnownRefusals.Contains(code) ? code : "other"));

    /// <summary>A sign-in attempt was recorded in the login history.</summary>
    public void SignInRecorded(LoginOutcome outcome) => _signIns.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
    {
        LoginOutcome.Success => "success",
        LoginOutcome.WrongPassword => "wrong_password",
        LoginOutcome.UnknownUser => "unknown_user",
        LoginOutcome.LockedOut => "locked_out",
        LoginOutcome.NotActive => "not_active",
        _ => "other",
    }));

    /// <summary>A write queues for SQLite's writer; disposing the ticket (once in, or given up) records the wait.</summary>
    public GateTicket GateQueued()
    {
        _gateQueue.Add(1);
        return new GateTicket(this, Stopwatch.GetTimestamp());
    }

    /// <summary>A write left the queue after <paramref name="waited"/>.</summary>
    public void GateEntered(TimeSpan waited)
    {
        _gateQueue.Add(-1);
        _gateWait.Record(waited.TotalMilliseconds);
    }

    /// <summary>A place in the write gate's queue: dispose it when the wait is over.</summary>
    public readonly struct GateTicket(BankMetrics metrics, long since) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => metrics.GateEntered(Stopwatch.GetElapsedTime(since));
    }

    private sealed record OutboxReading(DateTimeOffset At, Measurement<long>[] Pending, Measurement<double>[] OldestAge, Measurement<long>[] Failed);

    /// <summary>The outbox as read at most <see cref="OutboxReadingLifetime"/> ago; null while the database cannot say.</summary>
    private OutboxReading? Outbox()
    {
        lock (_outboxLock)
        {
            var now = _clock.GetUtcNow();
            if (_outbox is { } fresh && now - fresh.At < OutboxReadingLifetime && now >= fresh.At)
            {
                return fresh;
            }

            try
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BankDbContext>();
                var pending = db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending);
                var count = pending.LongCount();
                // Ids follow the order of writing: the lowest pending id is the oldest pending mail.
                var oldest = count == 0 ? (DateTimeOffset?)null : pending.OrderBy(m => m.Id).Select(m => m.CreatedAt).First();
                var failed = db.OutboxMessages.AsNoTracking().LongCount(m => m.Status == OutboxStatus.Failed);
                var age = oldest is { } created ? Math.Max(0, (now - created).TotalSeconds) : 0;
                _outbox = new OutboxReading(now, [new(count)], [new(age)], [new(failed)]);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                // Not migrated yet, or the database is away: no reading this time (the readiness check says why).
                LogOutboxUnreadable(_logger, ex.GetType().Name);
                _outbox = null;
            }

            return _outbox;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox gauges could not read the database ({Error}).")]
    private static partial void LogOutboxUnreadable(ILogger logger, string error);
}
