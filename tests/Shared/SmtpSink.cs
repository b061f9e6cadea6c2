using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Bank.Testing;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port for the mail tests: it keeps every message it accepts,
/// can be taken down and brought back on the same port, and can refuse every message with a permanent 554.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private CancellationTokenSource? _running;
    private Task? _server;

    private SmtpSink(int port) => Port = port;

    /// <summary>The loopback port it listens on (also while down: it comes back there).</summary>
    public int Port { get; }

    /// <summary>When set, every message is refused with "554 Transaction failed" (a permanent failure).</summary>
    public bool Refuse { get; set; }

    /// <summary>Every message accepted so far, in order of arrival.</summary>
    public IReadOnlyList<MimeMessage> Received => [.. _received];

    /// <summary>A server on a free loopback port, listening.</summary>
    public static async Task<SmtpSink> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var sink = new SmtpSink(port);
        await sink.UpAsync();
        return sink;
    }

    /// <summary>Starts listening (again) on <see cref="Port"/>.</summary>
    public async Task UpAsync()
    {
        if (_server is not null)
        {
            return;
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services).StartAsync(_running.Token);

        // Listening once a connection is taken.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"The test SMTP server did not listen on port {Port}.");
    }

    /// <summary>Stops listening: connections are refused until <see cref="UpAsync"/>.</summary>
    public async Task DownAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _running!.CancelAsync();
        try
        {
            await _server;
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        _running.Dispose();
        (_server, _running) = (null, null);
    }

    /// <summary>Waits until the received messages satisfy <paramref name="enough"/>; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<IReadOnlyList<MimeMessage>, bool> enough, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = Received;
            if (enough(received))
            {
                return received;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The test SMTP server got {received.Count} message(s), not what the test waited for: " +
                    string.Join("; ", received.Select(m => $"{m.To} '{m.Subject}'")));
            }

            await Task.Delay(50);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await DownAsync();

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (sink.Refuse)
            {
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, "5.7.1 Message refused by policy");
            }

            using var stream = new MemoryStream(buffer.ToArray());
            sink._received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
