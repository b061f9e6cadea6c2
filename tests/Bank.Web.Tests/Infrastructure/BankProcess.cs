using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bank.Core.Data;

namespace Bank.Web.Tests.Infrastructure;

/// <summary>
/// The built app (<c>dotnet Bank.Web.dll</c>) as a child process on a given database, in a temporary working folder: a
/// command run to its end (<see cref="RunAsync"/>), or a server (<see cref="BankServer"/>). Settings go in as environment
/// variables; the Production environment, as a deployment runs it.
/// </summary>
public static class BankProcess
{
    /// <summary>Runs a command (<c>verify-ledger</c>, <c>backup PATH</c>, …) to its end; its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        DatabaseProvider provider, string connectionString, IReadOnlyList<string> args, params (string Key, string Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("bank-process-").FullName;
        using var process = Process.Start(StartInfo(folder, provider, connectionString, args, [("ASPNETCORE_URLS", "http://127.0.0.1:0"), .. settings]))!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                // A start that should have stopped kept running: end it, the test has failed already.
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>How the app is started: the dll the tests reference, the database and the settings in the environment.</summary>
    internal static ProcessStartInfo StartInfo(
        string folder, DatabaseProvider provider, string connectionString, IReadOnlyList<string> args, IEnumerable<(string Key, string Value)> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__Bank"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }
}

/// <summary>The app as a server process on a free loopback port, ready when started; stopped with SIGTERM, killed on dispose.</summary>
public sealed class BankServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _output = new();

    private BankServer(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    /// <summary>Where it listens.</summary>
    public Uri Address { get; }

    /// <summary>Everything it wrote so far (standard output and error).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Its exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the server and waits (up to a minute) until <c>GET /health/ready</c> answers 200.</summary>
    public static async Task<BankServer> StartAsync(DatabaseProvider provider, string connectionString, params (string Key, string Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("bank-server-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = new Process
        {
            StartInfo = BankProcess.StartInfo(folder, provider, connectionString, ["--urls", address.ToString().TrimEnd('/')],
                [("Security__RequireStaffTwoFactor", "false"), .. settings]),
        };
        var server = new BankServer(process, folder, address);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A client of this server, signed in with the bearer token of <paramref name="signedIn"/> (sessions live in the database, so any instance takes them).</summary>
    public HttpClient Client(HttpClient? signedIn = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (signedIn?.DefaultRequestHeaders.Authorization is { } token)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(token.Scheme, token.Parameter);
        }

        return client;
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping the instance does.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to end by itself; false when it has not within <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitedWithinAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        // A fresh process compiles and migrates before it is ready: seconds on a quiet machine, over a minute on two cores
        // shared fifteen-fold (a stress run saw that). The wait ends as soon as it answers, or the process exits.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Fail($"The server exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                // Busy starting.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"GET /health/ready did not answer 200 within three minutes:\n{Output}");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Never started, or would not die in time; the test has its result already.
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the folder is under the temp directory.
            }
        }
    }
}
