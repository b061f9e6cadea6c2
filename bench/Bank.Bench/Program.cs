using System.Globalization;
using System.Runtime.InteropServices;
using Bank.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (BenchOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(BenchOptions.Usage);
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
Console.WriteLine($"Bank REST debit benchmark on {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}");
Console.WriteLine($"Per database: {options.Customers} customers, {options.Workers} concurrent workers, {options.Seconds} s measured after a {BenchRun.WarmUp.TotalSeconds:0} s warm-up; "
    + "client and server share this machine.");

var outcomes = new List<DbOutcome>();
try
{
    foreach (var database in options.Databases)
    {
        outcomes.Add(await BenchRun.RunAsync(database, repoRoot, options, cts.Token));
    }
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
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
