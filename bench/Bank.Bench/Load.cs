using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bank.Bench;

/// <summary>
/// The outcome of one operation: success, or an error with a status (an HTTP status; 0 when no answer came; 409 for a
/// raw client's refused guard) and a short text.
/// </summary>
public readonly record struct OpOutcome(bool Ok, int Status, string? Error)
{
    public static OpOutcome Success { get; } = new(true, 200, null);

    public static OpOutcome Failed(int status, string error) => new(false, status, error);
}

/// <summary>What one timed phase produced. Other = no answer at all, or a status that is neither 2xx nor 4xx/5xx.</summary>
public sealed record LoadResult(
    long Ok, long ClientErrors, long ServerErrors, long Other, TimeSpan Elapsed, double[] SortedLatenciesMs, IReadOnlyList<string> FirstErrors)
{
    public long Errors => ClientErrors + ServerErrors + Other;

    /// <summary>Successful operations per second of wall time (including the ones still in flight at the deadline).</summary>
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Ok / Elapsed.TotalSeconds : 0;

    /// <summary>The latency (ms) at percentile <paramref name="p"/> (0–100) of the successful operations, nearest-rank.</summary>
    public double Percentile(double p) => Percentiles.Of(SortedLatenciesMs, p);
}

/// <summary>Percentiles of measured times, one way for every bench.</summary>
public static class Percentiles
{
    /// <summary>The value at percentile <paramref name="p"/> (0–100) of <paramref name="sorted"/> (ascending), nearest-rank; NaN when empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// K clients, each doing one operation at a time (closed loop) until the deadline. Each client runs on its own thread, so
/// a synchronous raw client (Microsoft.Data.Sqlite) blocks only itself; <c>op</c> gets the client's number and a
/// sequence number shared by all clients (for round-robin choices).
/// </summary>
public static class Load
{
    private const int KeptErrors = 5;

    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, Func<int, long, CancellationToken, Task<OpOutcome>> op, CancellationToken ct)
    {
        long next = -1, ok = 0, client4xx = 0, server5xx = 0, other = 0;
        var errors = new ConcurrentQueue<string>();
        var latencies = new ConcurrentBag<List<double>>();
        var clock = Stopwatch.StartNew();

        async Task ClientAsync(int client)
        {
            var mine = new List<double>(capacity: 4096);
            latencies.Add(mine);
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                OpOutcome outcome;
                try
                {
                    outcome = await op(client, Interlocked.Increment(ref next), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    outcome = OpOutcome.Failed(0, $"{ex.GetType().Name}: {ex.Message}");
                }

                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (outcome.Ok)
                {
                    Interlocked.Increment(ref ok);
                    mine.Add(ms);
                    continue;
                }

                _ = outcome.Status switch
                {
                    >= 400 and < 500 => Interlocked.Increment(ref client4xx),
                    >= 500 => Interlocked.Increment(ref server5xx),
                    _ => Interlocked.Increment(ref other),
                };
                if (errors.Count < KeptErrors)
                {
                    errors.Enqueue($"status {outcome.Status}: {BankClient.Shorten(outcome.Error ?? "")}");
                }
            }
        }

        var tasks = Enumerable.Range(0, clients)
            .Select(c => Task.Factory.StartNew(() => ClientAsync(c), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap());
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(ok, client4xx, server5xx, other, elapsed, sorted, errors.Take(KeptErrors).ToList());
    }
}
