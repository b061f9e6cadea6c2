using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Core.Notifications;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Bank.Web.Tests.Operations;

/// <summary>
/// The tests of <c>/metrics</c> run alone: the bank's meter is named, and a name is shared by every app in the process,
/// so another class's requests running meanwhile could move the counters these tests count exactly.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsRunAlone
{
    public const string Name = "Metrics (alone)";
}

/// <summary>GET /metrics: the bank's counters move by exactly what requests did; only allowed networks or the token read them; log lines carry the trace id.</summary>
[Collection(MetricsRunAlone.Name)]
public sealed partial class MetricsTests(MetricsTests.Apps apps) : IClassFixture<MetricsTests.Apps>
{
    internal const string Token = "scrape-token-0123456789abcdef";

    /// <summary>The app with a metrics token, loopback as the allowed network, and its console lines kept for reading.</summary>
    public sealed class Apps() : BankApps<ConsoleApp>(provider => new ConsoleApp(provider, Settings));

    /// <summary>A metrics token, loopback as the allowed network, and the host's own line at the start of every request.</summary>
    internal static readonly Dictionary<string, string> Settings = new()
    {
        ["Metrics:Token"] = Token,
        ["Metrics:AllowedNetworks"] = "127.0.0.0/8, ::1/128",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    [Theory, DatabaseData]
    public async Task Movement_refusal_and_sign_in_counters_move_by_exactly_what_the_requests_did(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        var before = await ScrapeAsync(app);

        for (var i = 0; i < 3; i++)
        {
            await asha.DepositAsync(1000m);
        }

        Assert.Equal(HttpStatusCode.Created, (await asha.Client.MoveAsync("""{"type":"debit","amount":10}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await asha.Client.MoveAsync("""{"type":"debit","amount":20}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await asha.Client.MoveAsync($$"""{"type":"transfer","amount":5,"toAccountNumber":"{{ravi.AccountNumber}}"}""")).StatusCode);
        await (await asha.Client.MoveAsync("""{"type":"debit","amount":999999}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient-funds");
        await (await ravi.Client.MoveAsync("""{"type":"debit","amount":6}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient-funds");
        await (await asha.Client.MoveAsync("""{"type":"loan","amount":5}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await asha.Client.MoveAsync("""{"type":"credit","amount":0.001}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-amount");

        await app.SignInAsync(asha.UserId, app.LastPasswords[asha.UserId]);
        await app.SignInAsync(ravi.UserId, app.LastPasswords[ravi.UserId]);
        var anonymous = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = ravi.UserId, password = "Not-his-password-123" }))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        }

        await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = "99999999999", password = "Whatever-pass-123" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");

        var after = await ScrapeAsync(app);
        Assert.Equal(3, after.Delta(before, "bank_money_movements_total", "type", "credit"));
        Assert.Equal(2, after.Delta(before, "bank_money_movements_total", "type", "debit"));
        Assert.Equal(1, after.Delta(before, "bank_money_movements_total", "type", "transfer"));
        Assert.Equal(2, after.Delta(before, "bank_refusals_total", "type", "insufficient-funds"));
        Assert.Equal(1, after.Delta(before, "bank_refusals_total", "type", "validation"));
        Assert.Equal(1, after.Delta(before, "bank_refusals_total", "type", "invalid-amount"));
        Assert.Equal(4, after.Delta(before, "bank_refusals_total", "type", "invalid-credentials"));
        Assert.Equal(8, after.Delta(before, "bank_refusals_total"));
        Assert.Equal(2, after.Delta(before, "bank_sign_ins_total", "outcome", "success"));
        Assert.Equal(3, after.Delta(before, "bank_sign_ins_total", "outcome", "wrong_password"));
        Assert.Equal(1, after.Delta(before, "bank_sign_ins_total", "outcome", "unknown_user"));

        // The write gate is SQLite's: each write of this test passed it (the movements, refusals that reached the
        // database, sign-ins); PostgreSQL takes concurrent writers and has no gate.
        var gateWrites = after.Delta(before, "bank_write_gate_wait_milliseconds_count");
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.True(gateWrites >= 6 + 2 + 3, $"{gateWrites} writes went through the gate.");
            Assert.Equal(0, after.Sum("bank_write_gate_queue_length"));
        }
        else
        {
            Assert.Equal(0, gateWrites);
        }
    }

    [Fact]
    public async Task Callers_outside_the_allowed_networks_without_the_token_are_refused_and_see_no_metrics()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var admin = await app.SuperAdminAsync();
        var session = admin.DefaultRequestHeaders.Authorization!.ToString();
        var outside = IPAddress.Parse("203.0.113.7");

        foreach (var authorization in new string?[] { null, "Bearer wrong-token-0123456789abcdef", "Bearer " + Token[..^1], "Basic " + Token, session })
        {
            var scrape = await ScrapeFromAsync(app, outside, authorization);

            Assert.Equal(StatusCodes.Status401Unauthorized, scrape.Status);
            Assert.Equal("application/problem+json", scrape.ContentType);
            Assert.StartsWith("Bearer", scrape.WwwAuthenticate, StringComparison.Ordinal);
            Assert.Contains("https://bank.local/problems/unauthenticated", scrape.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("bank_", scrape.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("# TYPE", scrape.Body, StringComparison.Ordinal);
        }

        // The token opens it from anywhere.
        var withToken = await ScrapeFromAsync(app, outside, "Bearer " + Token);
        Assert.Equal(StatusCodes.Status200OK, withToken.Status);
        Assert.Contains("# TYPE bank_outbox_pending gauge", withToken.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callers_in_the_allowed_network_read_the_metrics_without_a_token()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Loopback.MapToIPv6() })
        {
            var scrape = await ScrapeFromAsync(app, loopback, authorization: null);

            Assert.Equal(StatusCodes.Status200OK, scrape.Status);
            Assert.StartsWith("text/plain", scrape.ContentType, StringComparison.Ordinal);
            Assert.Contains("# TYPE bank_outbox_pending gauge", scrape.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_console_log_line_written_during_a_request_carries_the_requests_trace_id()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()))}-01");

        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);

        await Eventually.HoldsAsync(() => app.ConsoleLines.Any(l => l.Contains("GET", StringComparison.Ordinal) && l.Contains("/health/live", StringComparison.Ordinal)
            && l.Contains("TraceId:" + traceId, StringComparison.Ordinal)));
    }

    /// <summary>
    /// GET /metrics as a connection from <paramref name="from"/> would send it, read to its end. A scrape's answer must
    /// always be read whole: the test server hands the context back once the answer has started, and a body larger than
    /// its pipe's buffer (64 KB) leaves the exporter writing, counted as a reader of the last collection; every later
    /// scrape of the app then waits for that reader, and answers 408 after the exporter's 60-second timeout.
    /// </summary>
    internal static async Task<Scrape> ScrapeFromAsync(BankApp app, IPAddress from, string? authorization)
    {
        var context = await app.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Scheme = "https";
            context.Request.Host = new HostString("localhost");
            context.Request.Path = "/metrics";
            context.Connection.RemoteIpAddress = from;
            if (authorization is not null)
            {
                context.Request.Headers.Authorization = authorization;
            }
        }, TestContext.Current.CancellationToken);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken);
        return new Scrape(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.WWWAuthenticate.ToString(), body);
    }

    /// <summary>A scrape's answer, read whole.</summary>
    internal sealed record Scrape(int Status, string? ContentType, string WwwAuthenticate, string Body);

    /// <summary>Scrapes /metrics with the token and reads the Prometheus text.</summary>
    internal static async Task<Samples> ScrapeAsync(BankApp app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return Samples.Parse(text);
    }

    /// <summary>The samples of a Prometheus text exposition: name, labels, value.</summary>
    public sealed partial record Samples(IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> All)
    {
        public static Samples Parse(string text) => new(text.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => SampleLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["name"].Value,
                (IReadOnlyDictionary<string, string>)Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value),
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
            .ToList());

        /// <summary>The sum of the samples of <paramref name="name"/> (with the label, when given).</summary>
        public double Sum(string name, string? label = null, string? value = null) => All
            .Where(s => s.Name == name && (label is null || (s.Labels.TryGetValue(label, out var v) && v == value)))
            .Sum(s => s.Value);

        /// <summary>How much <paramref name="name"/> moved since <paramref name="before"/>.</summary>
        public double Delta(Samples before, string name, string? label = null, string? value = null) =>
            Sum(name, label, value) - before.Sum(name, label, value);

        [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)""")]
        private static partial Regex SampleLine();

        [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
        private static partial Regex Label();
    }
}

/// <summary>The outbox gauges against the database, on an app that is alone in the process while it runs.</summary>
[Collection(MetricsRunAlone.Name)]
public sealed class OutboxGaugeTests
{
    [Theory, DatabaseData]
    public async Task The_outbox_gauges_show_the_mail_waiting_in_the_database(DatabaseProvider provider)
    {
        // An app of its own, alone in the process: gauges of the same name in two live apps would mix in one exporter.
        await using var app = new BankApp(provider, MetricsTests.Settings);
        await app.InitializeAsync();
        var admin = await app.SuperAdminAsync();
        // A customer's sign-in writes a mail; this app sends none (Mail:Outbox:Enabled is false), so it waits.
        await app.NewAsync(admin);

        // A reading serves scrapes for a few seconds, and a job may queue mail meanwhile (the monthly report at its hour):
        // the database and the gauges are compared in one look, repeated until they agree or ten seconds have passed.
        var last = "";
        await Eventually.HoldsAsync(async () =>
        {
            var (pending, oldest, failed) = await OutboxAsync(app);
            var scraped = await MetricsTests.ScrapeAsync(app);
            var age = scraped.Sum("bank_outbox_oldest_pending_age_seconds");
            last = $"database: {pending} pending (oldest written {oldest:O}), {failed} failed; gauges: {scraped.Sum("bank_outbox_pending")} pending, "
                + $"oldest {age} s old, {scraped.Sum("bank_outbox_failed")} failed";
            return pending > 0 && scraped.Sum("bank_outbox_pending") == pending && scraped.Sum("bank_outbox_failed") == failed
                && age >= 0 && age <= (DateTimeOffset.UtcNow - oldest).TotalSeconds + 1;
        }, () => "the outbox gauges never agreed with the database: " + last);
    }

    private static async Task<(long Pending, DateTimeOffset Oldest, long Failed)> OutboxAsync(BankApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BankDbContext>();
        var waiting = db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending);
        var pending = await waiting.LongCountAsync(TestContext.Current.CancellationToken);
        var oldest = await waiting.OrderBy(m => m.Id).Select(m => m.CreatedAt).FirstOrDefaultAsync(TestContext.Current.CancellationToken);
        var failed = await db.OutboxMessages.LongCountAsync(m => m.Status == OutboxStatus.Failed, TestContext.Current.CancellationToken);
        return (pending, oldest, failed);
    }
}

/// <summary>
/// The decision for an app that configures neither <c>Metrics:Token</c> nor <c>Metrics:AllowedNetworks</c>. A class of its
/// own: its app must not end while the other class's app is scraped (a name's meter ending in one app of the process
/// ends that metric in the exporters of all of them).
/// </summary>
[Collection(MetricsRunAlone.Name)]
public sealed class MetricsClosedTests(BankApps apps) : IClassFixture<BankApps>
{
    [Fact]
    public async Task Without_a_token_or_networks_the_metrics_are_closed_even_to_loopback()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);

        var scrape = await MetricsTests.ScrapeFromAsync(app, IPAddress.Loopback, "Bearer " + MetricsTests.Token);

        Assert.Equal(StatusCodes.Status401Unauthorized, scrape.Status);
        Assert.Contains("configure Metrics:Token or Metrics:AllowedNetworks", scrape.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("# TYPE", scrape.Body, StringComparison.Ordinal);
    }
}

/// <summary>
/// The app that also keeps every log line as its console would print it: the host's configured console formatter writes
/// each entry, with the scopes the logger factory gives it (the request's trace), into memory.
/// </summary>
public sealed class ConsoleApp(DatabaseProvider provider, IReadOnlyDictionary<string, string> settings) : BankApp(provider, settings)
{
    public ConcurrentQueue<string> ConsoleLines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(sp => new Capture(
            sp.GetServices<ConsoleFormatter>(), sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), ConsoleLines)));
    }

    private sealed class Capture(IEnumerable<ConsoleFormatter> formatters, IOptionsMonitor<ConsoleLoggerOptions> options, ConcurrentQueue<string> lines)
        : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = lines;

        public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private ConsoleFormatter Formatter =>
            formatters.First(f => f.Name == (options.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple));

        private sealed class Writer(Capture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => capture._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                using var text = new StringWriter(CultureInfo.InvariantCulture);
                capture.Formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), capture._scopes, text);
                capture.Lines.Enqueue(text.ToString());
            }
        }
    }
}
