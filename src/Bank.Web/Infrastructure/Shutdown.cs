using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bank.Web.Infrastructure;

/// <summary>How long a stopping instance may take to drain (section <c>Shutdown</c>; the host's shutdown timeout).</summary>
public sealed class ShutdownOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Shutdown";

    /// <summary>
    /// Seconds from SIGTERM (or Ctrl+C) until what is still running is cut off: in-flight requests (a money movement
    /// commits or rolls back within them), the mail being sent. Keep it below the orchestrator's kill grace period.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Shutdown:TimeoutSeconds must be between 1 and 3600 seconds.")]
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// The graceful stop. From SIGTERM on, <c>/health/ready</c> answers 503 (<see cref="StoppingHealthCheck"/>) so that a load
/// balancer sends no more; Kestrel stops accepting and lets the requests in flight finish (their cancellation token is
/// not cancelled by the stop, only when the time is up or the client goes); the outbox sender finishes the mail it is
/// sending and claims no more; SignalR closes the hub connections. All within <see cref="ShutdownOptions.TimeoutSeconds"/>.
/// One log line when the drain starts, one when it ends.
/// </summary>
public static partial class Shutdown
{
    /// <summary>Binds and checks <c>Shutdown:*</c> and makes it the host's shutdown timeout.</summary>
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));
        return services;
    }

    /// <summary>Logs the start and the end of the drain.</summary>
    public static void LogDrain(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Shutdown).FullName!);
        var timeout = app.Services.GetRequiredService<IOptions<ShutdownOptions>>().Value.TimeoutSeconds;
        var started = 0L;
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            started = Stopwatch.GetTimestamp();
            LogDraining(log, timeout);
        });
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            LogDrained(log, seconds);
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: /health/ready answers 503, no new connections; in-flight requests, the mail being sent and live connections finish within {Seconds} s.")]
    private static partial void LogDraining(ILogger log, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped: drained in {Seconds:0.0} s.")]
    private static partial void LogDrained(ILogger log, double seconds);
}

/// <summary>Readiness: unhealthy from the moment the instance begins to stop, so that no new work is sent to it.</summary>
public sealed class StoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The instance is stopping.")
            : HealthCheckResult.Healthy());
}
