using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bank.Core.Notifications;

/// <summary>
/// The background sender: sends due mail batch after batch, and when none is due waits for a wake-up from this
/// instance's <see cref="Outbox"/> or for <c>Mail:Outbox:PollSeconds</c> (mail written by other instances, retries that came due).
/// </summary>
/// <remarks>
/// Stopping (SIGTERM): no new batch is claimed, the mail being sent is finished and the rest of its batch handed back
/// (<see cref="OutboxDispatcher.SendDueAsync(CancellationToken, CancellationToken)"/>); only when the host's shutdown time
/// is up is a send cut off (its claim then runs out after <c>Mail:Outbox:LeaseSeconds</c>).
/// </remarks>
public sealed partial class OutboxWorker(IServiceScopeFactory scopes, OutboxSignal signal, IOptions<MailOptions> options, ILogger<OutboxWorker> log) : BackgroundService
{
    /// <summary>Cancelled when the host's shutdown time is up: what is still being sent is cut off.</summary>
    private readonly CancellationTokenSource _cutOff = new();

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var cutOffWithHost = cancellationToken.Register(_cutOff.Cancel);
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _cutOff.Dispose();
        base.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Outbox;
        if (!settings.Enabled)
        {
            return;
        }

        var poll = TimeSpan.FromSeconds(settings.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                claimed = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().SendDueAsync(_cutOff.Token, stoppingToken);
                if (claimed == 0)
                {
                    await signal.WaitAsync(poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogTrouble(ex, poll.TotalSeconds);
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox sender could not work (database unreachable?); it tries again in {Seconds} s.")]
    private partial void LogTrouble(Exception ex, double seconds);
}
