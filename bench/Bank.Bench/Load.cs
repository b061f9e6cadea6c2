using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bank.Bench;

/// <summary>What one timed phase of debits produced. Other = no response at all, or a status that is neither 201 nor 4xx/5xx.</summary>
public sealed record LoadResult(
    long Ok, long ClientErrors, long ServerErrors, long Other, TimeSpan Elapsed, double[] SortedLatenciesMs, IReadOnlyList<string> FirstErrors)
{
    public long Errors => ClientErrors + ServerErrors + Other;

    /// <summary>Successful debits per second of wall time (including the requests still in flight at the deadline).</summary>
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Ok / Elapsed.TotalSeconds : 0;

    /// <summary>The latency (ms) at percentile <paramref name="p"/> (0–100) of the successful debits, nearest-rank.</summary>
    public double Percentile(double p) => Percentiles.Of(SortedLatenciesMs, p);
}

/// <summary>Percentiles of measured times, one way for both benches.</summary>
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

/// <summary>W workers, each sending one debit at a time (closed loop) for customers taken round-robin, until the deadline.</summary>
public static class Load
{
    private const int KeptErrors = 5;

    public static async Task<LoadResult> RunAsync(BankClient client, IReadOnlyList<Customer> customers, int workers, TimeSpan duration, CancellationToken ct)
    {
        long next = -1, ok = 0, client4xx = 0, server5xx = 0, other = 0;
        var errors = new ConcurrentQueue<string>();
        var latencies = new ConcurrentBag<List<double>>();
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            var mine = new List<double>(capacity: 4096);
            latencies.Add(mine);
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var customer = customers[(int)(Interlocked.Increment(ref next) % customers.Count)];
                var started = Stopwatch.GetTimestamp();
                var outcome = await client.DebitAsync(customer.Token, ct);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                switch (outcome.Status)
                {
                    case 201:
                        Interlocked.Increment(ref ok);
                        mine.Add(ms);
                        continue;
                    case >= 400 and < 500:
                        Interlocked.Increment(ref client4xx);
                        break;
                    case >= 500:
                        Interlocked.Increment(ref server5xx);
                        break;
                    default:
                        Interlocked.Increment(ref other);
                        break;
                }

                if (errors.Count < KeptErrors)
                {
                    errors.Enqueue($"HTTP {outcome.Status}: {BankClient.Shorten(outcome.Error ?? "")}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkerAsync, ct)));
        var elapsed = clock.Elapsed;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(ok, client4xx, server5xx, other, elapsed, sorted, errors.Take(KeptErrors).ToList());
    }
}
