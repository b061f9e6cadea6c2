using System.Security.Cryptography;
using Bank.Testing;
using Npgsql;

namespace Bank.Bench;

/// <summary>What every bench run starts from: a temp folder, a fresh database, and the server's environment for it.</summary>
public static class BenchDatabases
{
    /// <summary>A new folder under the temp directory for one database's run (SQLite file, mail pickup, logs).</summary>
    public static string NewFolder(string database)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"bank-bench-{database}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// The environment of Bank.Web on a fresh database: Production, the database (a SQLite file in <paramref name="folder"/>
    /// or a new database on the throwaway PostgreSQL cluster), the first Super_Admin's one-time password, no sign-in
    /// throttling per IP (every request comes from 127.0.0.1), mail to files, warnings only.
    /// </summary>
    public static async Task<Dictionary<string, string>> ServerEnvironmentAsync(string database, string folder, string bootPassword, CancellationToken ct)
    {
        var connectionString = database == "sqlite"
            ? $"Data Source={Path.Combine(folder, "bank.db")}"
            : await CreatePostgresDatabaseAsync(ct);
        return new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = database == "sqlite" ? "Sqlite" : "Postgres",
            ["ConnectionStrings__Bank"] = connectionString,
            ["Bootstrap__SuperAdmin__Password"] = bootPassword,
            ["Security__SignInAttemptsPerMinutePerIp"] = "100000",
            ["Mail__PickupDirectory"] = Path.Combine(folder, "mail"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    /// <summary>Letters and digits, 19 characters, random: passes the password policy and is never a common password.</summary>
    public static string StrongPassword() => "Bench" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant() + "9z";

    public static void TryDelete(string folder)
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

    /// <summary>A fresh database bench_&lt;guid&gt; on the throwaway cluster of the tests (started on first use, stopped at exit).</summary>
    private static async Task<string> CreatePostgresDatabaseAsync(CancellationToken ct)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        var name = "bench_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 100 }.ConnectionString;
    }
}
