using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Bank.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster, started once per test process (initdb + pg_ctl on a free loopback port
/// in a temporary folder, as the postgres OS user when running as root) and removed when the process exits.
/// Set BANK_TEST_POSTGRES to an admin connection string to use an existing server instead.
/// Missing binaries or a failed start fail the tests loudly; nothing is ever skipped.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The admin connection string (database <c>postgres</c>).</summary>
    public static Task<string> AdminConnectionStringAsync() => Server.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("BANK_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return given;
        }

        var bin = FindBinaries();
        var asRoot = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), "bank-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "data");
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", folder], asPostgres: false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], asRoot);
        var port = FreePort();
        var log = Path.Combine(folder, "postgres.log");
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500";
        try
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start"], asRoot);
        }
        catch (Exception ex)
        {
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
            throw new InvalidOperationException($"PostgreSQL did not start for the tests. Log:\n{tail}", ex);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], asRoot).GetAwaiter().GetResult();
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception)
            {
                // Best effort at exit; the folder is under the temp directory.
            }
        };

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;
    }

    private static string FindBinaries()
    {
        var candidates = new List<string>();
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(dir);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found: install the Debian package 'postgresql' " +
                "(bash test.sh does this) or set BANK_TEST_POSTGRES to a server's admin connection string. " +
                "The PostgreSQL tests cannot be skipped.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}
