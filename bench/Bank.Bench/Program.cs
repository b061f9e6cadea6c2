using System.Globalization;
using System.Runtime.InteropServices;
using Bank.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args is ["--help"] or ["-h"] or [_, "--help"] or [_, "-h"])
{
    Console.WriteLine(PerfOptions.Usage);
    Console.WriteLine(InsightOptions.Usage);
    Console.WriteLine(MailBenchOptions.Usage);
    return 0;
}

// The benchmark (the default: scenarios against a raw baseline), and two sub-verbs: `insight` (demo data at scale, then
// every dashboard, report and statement request timed one at a time) and `mail` (sign-ins with the SMTP server up and down).
PerfOptions? perf = null;
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
    perf = PerfOptions.Parse(args);
}

if (perf is null && insight is null && mail is null)
{
    Console.Error.WriteLine(args switch { ["insight", ..] => InsightOptions.Usage, ["mail", ..] => MailBenchOptions.Usage, _ => PerfOptions.Usage });
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
        : await PerfAsync(perf!, machine, repoRoot, cts.Token);
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}

static async Task<int> PerfAsync(PerfOptions options, string machine, string repoRoot, CancellationToken ct)
{
    Console.WriteLine($"Bank benchmark on {machine}");
    Console.WriteLine($"Scenarios {string.Join(", ", options.Scenarios)}; {options.Clients} clients, {options.Seconds} s each side after a warm-up; "
        + $"{options.Customers:N0} customers for the money scenarios, {options.BigCustomers:N0} × {options.Months} months for statement, dashboard and seed; "
        + "the product over REST (Release, production settings), then the raw baseline, on the same machine.");

    var outcomes = new List<PerfOutcome>();
    foreach (var database in options.Databases)
    {
        outcomes.Add(await PerfRun.RunAsync(database, repoRoot, options, ct));
    }

    foreach (var o in outcomes)
    {
        Console.WriteLine();
        Console.WriteLine($"{o.Database} ({Environment.ProcessorCount} logical CPUs, {options.Clients} clients, {options.Seconds} s; latency in ms of successful operations)");
        Console.WriteLine($"{"scenario",-15} {"ops/s",9} {"p50",7} {"p95",7} {"p99",7} {"raw ops/s",10} {"raw p99",8} {"ratio",6} {"errors",6}  {"target",-40} met");
        foreach (var r in o.Results)
        {
            var met = r.Met switch { true => "yes", false => "NO", null => "-" };
            Console.WriteLine($"{r.Name,-15} {F(r.ProductOps),9} {F(r.P50),7} {F(r.P95),7} {F(r.P99),7} {F(r.RawOps),10} {F(r.RawP99),8} {F(r.Ratio, "0.00"),6} {r.Errors,6}  {r.Target,-40} {met}"
                + (r.Note.Length > 0 ? $"  ({r.Note})" : ""));
        }

        foreach (var failure in o.Failures)
        {
            Console.WriteLine($"FAIL {FirstLine(failure)}");
        }
    }

    if (options.Json is { } path)
    {
        static double? Number(double value) => double.IsFinite(value) ? Math.Round(value, 3) : null;
        var scenarios = outcomes.SelectMany(o => o.Results).Select(r => new
        {
            name = r.Name,
            database = r.Database,
            productOpsPerSec = Number(r.ProductOps),
            rawOpsPerSec = Number(r.RawOps),
            ratio = Number(r.Ratio),
            productP50Ms = Number(r.P50),
            productP95Ms = Number(r.P95),
            productP99Ms = Number(r.P99),
            rawP99Ms = Number(r.RawP99),
            errors = r.Errors,
            target = r.Target,
            met = r.Met,
        });
        await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(new { machine, scenarios }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), ct);
        Console.WriteLine($"Wrote {path}");
    }

    var errors = outcomes.Sum(o => o.Errors);
    var passed = outcomes.All(o => o.Passed);
    Console.WriteLine(passed
        ? "Result: PASS (ledger verified, balances exact, 0 errors; targets are reported, not asserted)"
        : $"Result: FAIL ({errors} errors other than intended refusals; {outcomes.Sum(o => o.Failures.Count)} failed checks)");
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

static string F(double value, string format = "0.0") => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

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
