using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bank.Core;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bank.Web.Infrastructure;

/// <summary>
/// Who may read <c>GET /metrics</c> (section <c>Metrics</c>): callers from <see cref="AllowedNetworks"/>, or callers
/// that send <c>Authorization: Bearer &lt;Token&gt;</c>. With neither set, nobody: the metrics are never anonymous.
/// </summary>
public sealed class MetricsOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Metrics";

    /// <summary>The shortest token accepted (a scrape token is a secret, not a password to remember).</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>The bearer token that opens <c>/metrics</c> from anywhere; unset (or blank) opens it to no token.</summary>
    public string? Token { get; set; }

    /// <summary>CIDR ranges, comma-separated (<c>10.0.0.0/8, 2001:db8::/32</c>; a bare address is one host), whose callers need no token.</summary>
    public string AllowedNetworks { get; set; } = "";

    /// <summary>The parsed <see cref="AllowedNetworks"/> (the valid ones; validation refuses the start when any is not).</summary>
    public IReadOnlyList<IPNetwork> Networks => NetworkText.Items(AllowedNetworks).Select(n => NetworkText.TryParseNetwork(n, bareAddress: true, out var network) ? network : (IPNetwork?)null)
        .OfType<IPNetwork>().ToList();

    /// <summary>Whether neither a network nor a token is configured (then <c>/metrics</c> is closed to everyone).</summary>
    public bool Closed => string.IsNullOrWhiteSpace(Token) && NetworkText.Items(AllowedNetworks).Length == 0;

    /// <summary>Whether a caller from <paramref name="caller"/> with this Authorization header may read the metrics.</summary>
    public bool Admits(IPAddress? caller, string? authorization)
    {
        if (caller is not null)
        {
            var address = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
            if (Networks.Any(n => n.Contains(address)))
            {
                return true;
            }
        }

        if (string.IsNullOrWhiteSpace(Token) || authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashes of equal length, compared in constant time: neither the token's content nor its length leaks through timing.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(Token)), SHA256.HashData(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim())));
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in NetworkText.Items(AllowedNetworks).Where(n => !NetworkText.TryParseNetwork(n, bareAddress: true, out _)))
        {
            yield return new ValidationResult(
                $"Metrics:AllowedNetworks has '{network}', which is not a CIDR range such as 10.0.0.0/8, 127.0.0.1/32 or ::1/128 (no address bits set after the prefix).",
                [nameof(AllowedNetworks)]);
        }

        if (!string.IsNullOrWhiteSpace(Token) && (Token.Trim().Length < MinimumTokenLength || Token.Any(char.IsWhiteSpace)))
        {
            yield return new ValidationResult(
                $"Metrics:Token must be at least {MinimumTokenLength} characters without spaces (a random secret, for example from `openssl rand -hex 32`).",
                [nameof(Token)]);
        }
    }
}

/// <summary>Where the traces, metrics and logs go besides the console (section <c>OpenTelemetry</c>).</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenTelemetry";

    /// <summary>The OTLP (gRPC) endpoint of a collector, for example <c>http://otel-collector:4317</c>; unset exports nothing over OTLP.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The endpoint as a URI, when one is set and valid.</summary>
    public Uri? EndpointUri => Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint) && EndpointUri is null)
        {
            yield return new ValidationResult(
                $"OpenTelemetry:Endpoint '{Endpoint}' is not an http(s) address such as http://otel-collector:4317.", [nameof(Endpoint)]);
        }
    }
}

/// <summary>
/// OpenTelemetry for the bank: metrics always (the bank's meter, ASP.NET Core, the HTTP client, Npgsql, the runtime),
/// scraped at <c>/metrics</c> by those <see cref="MetricsOptions"/> admits; traces, metrics and logs over OTLP when
/// <c>OpenTelemetry:Endpoint</c> is set. Console log lines carry the request's trace id (its scope).
/// </summary>
public static class Telemetry
{
    /// <summary>The scrape path (API.md).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The service name in every exported signal.</summary>
    public const string ServiceName = "Bank";

    /// <summary>Registers the meters, exporters and options.</summary>
    public static IServiceCollection AddBankTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Every log entry written inside a request carries its trace and span ids as a scope, which the console shows
        // (Logging:Console:FormatterOptions:IncludeScopes in appsettings.json) and OTLP sends with the record.
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions |= ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(BankMetrics.MeterName)
                .AddMeter("System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                // Every scrape collects afresh: the counters a scrape shows are those of that moment.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        // Read once here, as the exporters are wired now; an invalid value stops the start through the validation above.
        var endpoint = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.EndpointUri;
        if (endpoint is not null)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsQuiet(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql())
                .WithLogging()
                .UseOtlpExporter(OtlpExportProtocol.Grpc, endpoint);
        }

        return services;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> (Prometheus text) behind its guard: a caller from an allowed network, or with the token,
    /// gets the metrics; anyone else 401 problem details and nothing of them.
    /// </summary>
    public static IEndpointConventionBuilder MapBankMetrics(this WebApplication app)
    {
        // The bank's instruments exist from the start, so that the first scrape lists them all (at zero).
        app.Services.GetRequiredService<BankMetrics>();
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        return app.MapPrometheusScrapingEndpoint(
                MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) => GuardAsync(context, next, options)), optionsName: null)
            .AllowAnonymous();
    }

    /// <summary>Paths whose requests are plumbing (scrapes, health probes), left out of traces.</summary>
    public static bool IsQuiet(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");

    private static async Task GuardAsync(HttpContext context, RequestDelegate next, MetricsOptions options)
    {
        if (options.Admits(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization.ToString()))
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
        await Problems.WriteAsync(context, FailureTypes.Unauthenticated.Because(options.Closed
            ? "The metrics are closed: configure Metrics:Token or Metrics:AllowedNetworks to read them."
            : "The metrics are open only to the configured networks, or with Authorization: Bearer <Metrics:Token>."));
    }
}
