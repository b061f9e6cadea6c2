using Bank.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bank.Tests.Shared;

/// <summary>A fresh, empty database of either provider (a SQLite file, or a new database on the test PostgreSQL server).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _adminConnectionString;
    private readonly string? _name;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder, string? admin, string? name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _adminConnectionString = admin;
        _name = name;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("bank-sqlite-").FullName;
            return new TestDatabase(provider, $"Data Source={Path.Combine(folder, "bank.db")}", folder, null, null);
        }

        var admin = await PostgresServer.AdminConnectionStringAsync();
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 100 };
        return new TestDatabase(provider, builder.ConnectionString, null, admin, name);
    }

    /// <summary>A context on this database, for arranging and checking state directly.</summary>
    public BankDbContext CreateContext() => Provider == DatabaseProvider.Sqlite
        ? new SqliteBankDbContext(new DbContextOptionsBuilder<SqliteBankDbContext>().UseSqlite(ConnectionString).Options)
        : new PostgresBankDbContext(new DbContextOptionsBuilder<PostgresBankDbContext>().UseNpgsql(ConnectionString).Options);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_folder is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(_folder, recursive: true);
            }
            else if (_adminConnectionString is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(_adminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (Exception)
        {
            // Cleanup is best effort; a leftover temp database does not change any result.
        }
    }
}
