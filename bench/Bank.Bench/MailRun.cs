using System.Diagnostics;
using System.Text.Json.Nodes;
using Bank.Testing;

namespace Bank.Bench;

/// <summary>The mail bench's command line: --db sqlite|postgres|both, --customers N, --signins N.</summary>
public sealed record MailBenchOptions(IReadOnlyList<string> Databases, int Customers, int SignIns)
{
    public const string Usage = "Usage: Bank.Bench mail [--db sqlite|postgres|both] [--customers N] [--signins N]";

    public static MailBenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new MailBenchOptions(["sqlite", "postgres"], Customers: 10, SignIns: 200);
        var read = Arguments.TryRead(args, (name, value, number) =>
        {
            switch (name)
            {
                case "--db" when Arguments.Databases(value) is { } databases:
                    options = options with { Databases = databases };
                    return true;
                case "--customers" when number is { } c && c <= 1_000:
                    options = options with { Customers = c };
                    return true;
                case "--signins" when number is { } s && s <= 100_000:
                    options = options with { SignIns = s };
                    return true;
                default:
                    return false;
            }
        });
        return read ? options : null;
    }
}

/// <summary>One phase of the mail bench: sign-in latency, and what became of the mail those sign-ins wrote.</summary>
public sealed record MailPhase(string Name, IReadOnlyList<double> SortedMs, int Delivered, int Duplicates, int Retried, int Failed, double DeliverySeconds)
{
    public double Percentile(double p) => Percentiles.Of(SortedMs, p);
}

/// <summary>What one database's mail run gave, or why it stopped.</summary>
public sealed record MailOutcome(string Name, IReadOnlyList<MailPhase> Phases, string? Failure);

/// <summary>
/// Sign-ins timed with the SMTP server up, then with it down (the mail waits in the outbox and is retried), then the
/// server back: every mail must arrive exactly once. The server is a real SMTP server in this process (SmtpServer) on a
/// loopback port; the bank sends to it over SMTP like to any relay.
/// </summary>
public static class MailRun
{
    public static Task<MailOutcome> RunAsync(string database, string repoRoot, MailBenchOptions options, CancellationToken ct) =>
        BenchDatabases.RunAsync(database, repoRoot, setup => RunAsync(setup, options, ct), failure => new MailOutcome(database, [], failure), ct);

    private static async Task<MailOutcome> RunAsync(BenchSetup setup, MailBenchOptions options, CancellationToken ct)
    {
        await using var smtp = await SmtpSink.StartAsync();
        setup.Environment["Mail__Smtp__Host"] = "127.0.0.1";
        setup.Environment["Mail__Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        setup.Environment["Mail__Smtp__Security"] = "None";
        setup.Environment["Mail__Outbox__RetryBaseSeconds"] = "1";
        setup.Environment["Mail__Outbox__RetryMaxSeconds"] = "4";
        setup.Environment["Mail__Outbox__MaxAttempts"] = "100";
        var server = await setup.StartServerAsync(ct);

        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        var client = new BankClient(http);
        var admin = await client.FirstLoginAsync(BankClient.SuperAdminId, setup.BootPassword, BenchDatabases.StrongPassword(), ct);
        var customers = new List<(string UserId, string Password)>();
        for (var n = 0; n < options.Customers; n++)
        {
            var created = await client.CreateCustomerAsync(admin.AccessToken, n + 1, ct);
            var password = BenchDatabases.StrongPassword();
            await client.FirstLoginAsync(created.UserId, created.TemporaryPassword, password, ct);
            customers.Add((created.UserId, password));
        }

        // Everything so far (first sign-ins, alerts) out of the way, so that each phase counts only its own mail.
        var baseline = await WaitForQuietAsync(client, admin.AccessToken, smtp, ct);
        Console.WriteLine($"set up {customers.Count} customers; {baseline} mails delivered before the phases");

        var phases = new List<MailPhase>();
        phases.Add(await PhaseAsync("SMTP up", client, admin.AccessToken, customers, options.SignIns, smtp, down: false, ct));
        phases.Add(await PhaseAsync("SMTP down", client, admin.AccessToken, customers, options.SignIns, smtp, down: true, ct));
        return new MailOutcome(setup.Database, phases, null);
    }

    private static async Task<MailPhase> PhaseAsync(
        string name, BankClient client, string adminToken, List<(string UserId, string Password)> customers, int signIns, SmtpSink smtp, bool down, CancellationToken ct)
    {
        var before = smtp.Received.Count;
        var highest = await HighestMailIdAsync(client, adminToken, ct);
        if (down)
        {
            await smtp.DownAsync();
        }

        var latencies = new List<double>(signIns);
        for (var i = 0; i < signIns; i++)
        {
            var (userId, password) = customers[i % customers.Count];
            var watch = Stopwatch.StartNew();
            await client.LoginAsync(userId, password, ct);
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var clock = Stopwatch.StartNew();
        if (down)
        {
            Console.WriteLine($"{name}: {signIns} sign-ins, p50 {Percentiles.Of(latencies, 50):0.0} ms; the mail server comes back now");
            await smtp.UpAsync();
        }

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (smtp.Received.Count - before < signIns && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        var deliverySeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // room for any duplicate to arrive
        var received = smtp.Received.Skip(before).ToList();
        var (retried, failed) = await AttemptsAsync(client, adminToken, highest, ct);
        var phase = new MailPhase(name, latencies, received.Count, received.Count - received.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count(), retried, failed, deliverySeconds);
        Console.WriteLine($"{name}: sign-in p50 {phase.Percentile(50):0.0} ms, p95 {phase.Percentile(95):0.0} ms; {phase.Delivered} of {signIns} mails delivered "
            + $"in {deliverySeconds:0.0} s, {retried} after a retry, {failed} failed, {phase.Duplicates} duplicates");
        return phase;
    }

    /// <summary>Waits until no mail is pending; returns how many the SMTP server has.</summary>
    private static async Task<int> WaitForQuietAsync(BankClient client, string adminToken, SmtpSink smtp, CancellationToken ct)
    {
        for (var i = 0; i < 600; i++)
        {
            var pending = JsonNode.Parse(await client.GetJsonAsync("/api/v1/mail?status=pending&limit=1", adminToken, ct))!["items"]!.AsArray();
            if (pending.Count == 0)
            {
                return smtp.Received.Count;
            }

            await Task.Delay(100, ct);
        }

        throw new BenchException("Mail stayed pending for a minute with the SMTP server up.");
    }

    private static async Task<long> HighestMailIdAsync(BankClient client, string adminToken, CancellationToken ct)
    {
        var newest = JsonNode.Parse(await client.GetJsonAsync("/api/v1/mail?limit=1", adminToken, ct))!["items"]!.AsArray();
        return newest.Count == 0 ? 0 : newest[0]!["id"]!.GetValue<long>();
    }

    /// <summary>Of the mails after <paramref name="after"/>: how many took more than one attempt, and how many failed.</summary>
    private static async Task<(int Retried, int Failed)> AttemptsAsync(BankClient client, string adminToken, long after, CancellationToken ct)
    {
        var (retried, failed) = (0, 0);
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse(await client.GetJsonAsync($"/api/v1/mail?limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", adminToken, ct))!;
            foreach (var mail in page["items"]!.AsArray().Where(m => m!["id"]!.GetValue<long>() > after && m["kind"]!.GetValue<string>() == "customerSignIn"))
            {
                retried += mail!["attempts"]!.GetValue<int>() > 1 ? 1 : 0;
                failed += mail["status"]!.GetValue<string>() == "failed" ? 1 : 0;
            }

            cursor = page["nextCursor"]?.GetValue<string>();
            if (page["items"]!.AsArray().Any(m => m!["id"]!.GetValue<long>() <= after))
            {
                break;
            }
        }
        while (cursor is not null);
        return (retried, failed);
    }
}
