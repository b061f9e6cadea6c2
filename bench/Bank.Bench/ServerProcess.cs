using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bank.Bench;

/// <summary>The real Bank.Web server (the Release build) as a child process on a free loopback port; killed on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The last lines the server wrote (stdout and stderr), for failure reports.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>Starts the server and waits until GET /health/ready answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string repoRoot, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = StartInfo(repoRoot, environment, ["--urls", address.ToString().TrimEnd('/')]);
        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        if (!process.Start())
        {
            throw new BenchException("Could not start dotnet Bank.Web.dll.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Runs a command of Bank.Web (<c>dotnet Bank.Web.dll verb options…</c>) to its end, passing each line it writes to
    /// the console with a margin (and to <paramref name="line"/>); returns its exit code.
    /// </summary>
    public static async Task<int> RunCommandAsync(string repoRoot, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, CancellationToken ct, Action<string>? line = null)
    {
        using var process = new Process { StartInfo = StartInfo(repoRoot, environment, arguments) };
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        if (!process.Start())
        {
            throw new BenchException($"Could not start dotnet Bank.Web.dll {string.Join(' ', arguments)}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;

        void Echo(string? text)
        {
            if (text is not null)
            {
                Console.WriteLine($"  | {text}");
                line?.Invoke(text);
            }
        }
    }

    private static ProcessStartInfo StartInfo(string repoRoot, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var webFolder = Path.Combine(repoRoot, "src", "Bank.Web");
        var dll = Path.Combine(webFolder, "bin", "Release", "net10.0", "Bank.Web.dll");
        if (!File.Exists(dll))
        {
            throw new BenchException($"{dll} does not exist: build it first (dotnet build src/Bank.Web -c Release), or use bash bench/run.sh.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = webFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(ct); // lets the output readers reach the end
                throw new BenchException($"The server exited with code {_process.ExitCode} before it was ready.", RecentOutput);
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "timed out";
            }

            await Task.Delay(250, ct);
        }

        throw new BenchException($"GET /health/ready did not answer 200 within {timeout.TotalSeconds:0} s (last: {last}).", RecentOutput);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Never started, or would not die in time; nothing more to do.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A failure the bench reports as a clear message (no stack trace) and a non-zero exit code; details such as the server's output.</summary>
public sealed class BenchException(string message, string? details = null, int? status = null) : Exception(message)
{
    public string? Details { get; } = details;

    /// <summary>The HTTP status of the unexpected answer, when the failure is one.</summary>
    public int? Status { get; } = status;
}
