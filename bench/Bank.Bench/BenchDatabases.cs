using System.Diagnostics;
using System.Security.Cryptography;
using Bank.Testing;
using Npgsql;

namespace Bank.Bench;

/// <summary>One database's run as its body sees it: the database, the server's environment, and the server once started.</summary>
public sealed class BenchSetup(string database, string repoRoot, string folder, string connectionString, string bootPassword, Dictionary<string, string> environment)
{
    /// <summary>The run's temp folder (deleted at its end): the SQLite files live here.</summary>
    public string Folder { get; } = folder;

    /// <summary>The product's database, as Bank.Web's <c>ConnectionStrings:Bank</c>.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>sqlite or postgres.</summary>
    public string Database { get; } = database;

    /// <summary>The first Super_Admin's one-time password.</summary>
    public string BootPassword { get; } = bootPassword;

    /// <summary>The environment of Bank.Web on the fresh database; a body may add settings before it starts anything.</summary>
    public Dictionary<string, string> Environment { get; } = environment;

    /// <summary>The server, once <see cref="StartServerAsync"/> started it; the frame disposes it.</summary>
    public ServerProcess? Server { get; private set; }

    /// <summary>Starts the real server on the fresh database (killed when the run ends).</summary>
    public async Task<ServerProcess> StartServerAsync(CancellationToken ct) =>
        Server = await ServerProcess.StartAsync(repoRoot, Environment, ct);

    /// <summary>Runs a command of Bank.Web on the fresh database to its end; its exit code.</summary>
    public Task<int> RunCommandAsync(IReadOnlyList<string> arguments, CancellationToken ct, Action<string>? line = null) =>
        ServerProcess.RunCommandAsync(repoRoot, Environment, arguments, ct, line);
}

/// <summary>What every bench run shares: a temp folder, a fresh database, the server's environment for it, and the frame around a run.</summary>
public static class BenchDatabases
{
    /// <summary>
    /// One database's run: a header, a temp folder, a fresh database, then <paramref name="run"/>. A failure is printed
    /// (with the server's output where it helps) and becomes <paramref name="failed"/>'s outcome; in every case the server
    /// is killed, then the PostgreSQL database dropped and the folder deleted.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        string database, string repoRoot, Func<BenchSetup, Task<T>> run, Func<string, T> failed, CancellationToken ct)
    {
        Console.WriteLine();
        Console.WriteLine($"== {database} ==");
        var folder = NewFolder(database);
        PostgresDatabase? postgresDatabase = null;
        BenchSetup? setup = null;
        try
        {
            string connectionString;
            if (database == "sqlite")
            {
                connectionString = $"Data Source={Path.Combine(folder, "bank.db")}";
            }
            else
            {
                postgresDatabase = await CreatePostgresDatabaseAsync("bench_", ct);
                connectionString = postgresDatabase.ConnectionString;
            }

            var bootPassword = StrongPassword();
            setup = new BenchSetup(database, repoRoot, folder, connectionString, bootPassword, ServerEnvironment(database, connectionString, bootPassword));
            return await run(setup);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var message = ex is BenchException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            Console.WriteLine($"{database}: FAILED — {message}");
            if (ex is BenchException { Details: { } details })
            {
                Console.WriteLine($"The server's output:\n{details}");
            }
            else if (setup?.Server is { RecentOutput.Length: > 0 } server && ex is not BenchException { Status: < 500 })
            {
                Console.WriteLine($"The server's recent output:\n{server.RecentOutput}");
            }

            return failed(message);
        }
        finally
        {
            if (setup?.Server is { } server)
            {
                await server.DisposeAsync();
            }

            if (postgresDatabase is not null)
            {
                await postgresDatabase.DisposeAsync();
            }

            TryDelete(folder);
        }
    }

    /// <summary>GET /api/v1/ledger/verify as <paramref name="adminToken"/>, printed as PASS or FAIL with its time; whether it passed.</summary>
    public static async Task<bool> CheckLedgerAsync(BankClient client, string adminToken, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var (ok, body) = await client.VerifyLedgerAsync(adminToken, ct);
            Console.WriteLine($"{(ok ? "PASS" : "FAIL")} ledger verify in {clock.Elapsed.TotalSeconds:0.0} s: {BankClient.Shorten(body)}");
            return ok;
        }
        catch (BenchException ex)
        {
            Console.WriteLine($"FAIL ledger verify: {ex.Message}");
            return false;
        }
    }

    /// <summary>Letters and digits, 19 characters, random: passes the password policy and is never a common password.</summary>
    public static string StrongPassword() => "Bench" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant() + "9z";

    /// <summary>A new folder under the temp directory for one database's run (the SQLite file).</summary>
    private static string NewFolder(string database)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"bank-bench-{database}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// The environment of Bank.Web on a fresh database: Production, the database, the first Super_Admin's one-time
    /// password, no sign-in throttling per IP (every request comes from 127.0.0.1), no second factor required of the
    /// Super_Admin who sets the bench up (a bench measures money and reports, not sign-ins of staff), warnings only.
    /// </summary>
    private static Dictionary<string, string> ServerEnvironment(string database, string connectionString, string bootPassword) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Database__Provider"] = database == "sqlite" ? "Sqlite" : "Postgres",
        ["ConnectionStrings__Bank"] = connectionString,
        ["Bootstrap__SuperAdmin__Password"] = bootPassword,
        ["Security__SignInAttemptsPerMinutePerIp"] = "100000",
        ["Security__RequireStaffTwoFactor"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; it is under the temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A fresh database &lt;prefix&gt;&lt;guid&gt; on the throwaway cluster of the tests (or BANK_TEST_POSTGRES); dropped on dispose.</summary>
    public static async Task<PostgresDatabase> CreatePostgresDatabaseAsync(string prefix, CancellationToken ct)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        var name = prefix + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        return new PostgresDatabase(new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 100 }.ConnectionString, name);
    }
}

/// <summary>A database on the throwaway PostgreSQL cluster, dropped on dispose (WITH (FORCE) ends any connection left; best effort, even after Ctrl+C).</summary>
public sealed class PostgresDatabase(string connectionString, string name) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public string Name { get; } = name;

    /// <summary>A pooled data source on <paramref name="connectionString"/> whose statements are prepared automatically after their first use.</summary>
    public static NpgsqlDataSource DataSource(string connectionString) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 50, AutoPrepareMinUsages = 1, MaxPoolSize = 100 });

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            Console.WriteLine($"Could not drop the bench database {Name}: {ex.Message}");
        }
    }
}
