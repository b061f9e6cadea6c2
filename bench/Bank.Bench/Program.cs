using System.Globalization;
using System.Runtime.InteropServices;
using Bank.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args is ["--help"] or ["-h"] or [_, "--help"] or [_, "-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    Console.WriteLine(InsightOptions.Usage);
    Console.WriteLine(MailBenchOptions.Usage);
    return 0;
}

// Two benches: debits per second (the default), and `insight` (demo data at scale, then dashboards, reports, statements).
BenchOptions? debits = null;
InsightOptions? insight = null;
MailBenchOptions? mail = null;
if (args is ["insight", .. var insightArgs])
{
    insight = InsightOptions.Parse(insightArgs);
}
else if (args is ["mail", .. var mailArgs])
{
    mail = MailBenchOptions.Parse(mailArgs);
}
else
{
    debits = BenchOptions.Parse(args);
}

if (debits is null && insight is null && mail is null)
{
    Console.Error.WriteLine(args switch { ["insight", ..] => InsightOptions.Usage, ["mail", ..] => MailBenchOptions.Usage, _ => BenchOptions.Usage });
    return 2;
}

// Ctrl+C or a kill stops the run cleanly: the server child is killed and the PostgreSQL cluster stopped.
using var cts = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    cts.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var repoRoot = FindRepoRoot();
var machine = $"{Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}";
try
{
    return insight is not null ? await InsightAsync(insight, machine, repoRoot, cts.Token)
        : mail is not null ? await MailAsync(mail, machine, repoRoot, cts.Token)
        : await DebitsAsync(debits!, machine, repoRoot, cts.Token);
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}

static async Task<int> DebitsAsync(BenchOptions options, string machine, string repoRoot, CancellationToken ct)
{
    Console.WriteLine($"Bank REST debit benchmark on {machine}");
    Console.WriteLine($"Per database: {options.Customers} customers, {options.Workers} concurrent workers, {options.Seconds} s measured after a {BenchRun.WarmUp.TotalSeconds:0} s warm-up; "
        + "client and server share this machine.");

    var outcomes = new List<DbOutcome>();
    foreach (var database in options.Databases)
    {
        outcomes.Add(await BenchRun.RunAsync(database, repoRoot, options, ct));
    }

    Console.WriteLine();
    Console.WriteLine($"Summary ({Environment.ProcessorCount} logical CPUs, {options.Workers} workers, {options.Seconds} s, {options.Customers} customers; latency of successful debits)");
    Console.WriteLine($"{"database",-10} {"debits/s",10} {"ok",9} {"errors",7} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8}  {"ledger",-6}  balances");
    foreach (var o in outcomes)
    {
        if (o.Load is { } r)
        {
            Console.WriteLine($"{o.Name,-10} {r.PerSecond,10:0.0} {r.Ok,9} {r.Errors,7} {r.Percentile(50),8:0.0} {r.Percentile(95),8:0.0} {r.Percentile(99),8:0.0}  {PassFail(o.LedgerOk),-6}  {PassFail(o.BalancesOk)}");
        }
        else
        {
            Console.WriteLine($"{o.Name,-10} FAILED: {FirstLine(o.Failure)}");
        }
    }

    var passed = outcomes.All(o => o.Passed);
    Console.WriteLine(passed ? "Result: PASS" : "Result: FAIL");
    return passed ? 0 : 1;
}

static async Task<int> InsightAsync(InsightOptions options, string machine, string repoRoot, CancellationToken ct)
{
    Console.WriteLine($"Bank insight benchmark on {machine}");
    Console.WriteLine($"Per database: demo-data --customers {options.Customers} --months {options.Months} --seed {options.Seed} on a fresh database, "
        + $"then each request once cold and {options.Repeat} times after, one at a time, dashboard cache off; client and server share this machine.");

    var outcomes = new List<InsightOutcome>();
    foreach (var database in options.Databases)
    {
        outcomes.Add(await InsightRun.RunAsync(database, repoRoot, options, ct));
    }

    Console.WriteLine();
    Console.WriteLine($"Summary ({Environment.ProcessorCount} logical CPUs, {options.Customers} customers, {options.Months} months; times to the last byte, ms)");
    foreach (var o in outcomes)
    {
        if (o.Failure is not null)
        {
            Console.WriteLine($"{o.Name}: FAILED: {FirstLine(o.Failure)}");
            continue;
        }

        Console.WriteLine($"{o.Name}: demo-data {o.Load!.Value.TotalSeconds:0.0} s");
        Console.WriteLine($"  {"request",-44} {"cold",8} {"median",8} {"p95",8} {"max",8} {"size KB",8}");
        foreach (var t in o.Timings)
        {
            Console.WriteLine($"  {t.Name,-44} {t.ColdMs,8:0.0} {t.MedianMs,8:0.0} {t.P95Ms,8:0.0} {t.MaxMs,8:0.0} {t.Bytes / 1024.0,8:0.0}");
        }
    }

    var passed = outcomes.All(o => o.Failure is null);
    Console.WriteLine(passed ? "Result: PASS" : "Result: FAIL");
    return passed ? 0 : 1;
}

static async Task<int> MailAsync(MailBenchOptions options, string machine, string repoRoot, CancellationToken ct)
{
    Console.WriteLine($"Bank mail benchmark on {machine}");
    Console.WriteLine($"Per database: {options.Customers} customers, {options.SignIns} sign-ins one at a time with the SMTP server up, then as many with it down "
        + "(then back up); each sign-in writes one mail; client, server and SMTP server share this machine.");

    var outcomes = new List<MailOutcome>();
    foreach (var database in options.Databases)
    {
        outcomes.Add(await MailRun.RunAsync(database, repoRoot, options, ct));
    }

    Console.WriteLine();
    Console.WriteLine($"Summary ({Environment.ProcessorCount} logical CPUs; sign-in latency in ms; the mails those sign-ins wrote)");
    Console.WriteLine($"{"database",-10} {"phase",-10} {"p50",7} {"p95",7} {"max",7} {"delivered",10} {"retried",8} {"failed",7} {"duplicates",11} {"delivery s",11}");
    var passed = true;
    foreach (var o in outcomes)
    {
        if (o.Failure is not null)
        {
            Console.WriteLine($"{o.Name,-10} FAILED: {FirstLine(o.Failure)}");
            passed = false;
            continue;
        }

        foreach (var p in o.Phases)
        {
            Console.WriteLine($"{o.Name,-10} {p.Name,-10} {p.Percentile(50),7:0.0} {p.Percentile(95),7:0.0} {p.SortedMs[^1],7:0.0} {p.Delivered,10} {p.Retried,8} {p.Failed,7} {p.Duplicates,11} {p.DeliverySeconds,11:0.0}");
            passed &= p.Delivered == options.SignIns && p.Duplicates == 0 && p.Failed == 0;
        }
    }

    Console.WriteLine(passed ? "Result: PASS (every mail delivered once)" : "Result: FAIL");
    return passed ? 0 : 1;
}

static string PassFail(bool ok) => ok ? "PASS" : "FAIL";

static string FirstLine(string? text) => (text ?? "").Split('\n')[0];

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Bank.slnx")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
