using Bank.Core;
using Bank.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bank.Testing;

/// <summary>
/// A fresh database of either provider: a SQLite file, or a new database on the test PostgreSQL server. Empty, or a copy
/// of a template that the bank's own migrations built once per test process (copying is far cheaper than migrating).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly Dictionary<DatabaseProvider, Lazy<Task<TestDatabase>>> Templates = new()
    {
        [DatabaseProvider.Sqlite] = new(() => MigratedTemplateAsync(DatabaseProvider.Sqlite)),
        [DatabaseProvider.Postgres] = new(() => MigratedTemplateAsync(DatabaseProvider.Postgres)),
    };

    /// <summary>SQLite copies are made one at a time: two readers opening the WAL template at once may find it busy.</summary>
    private static readonly SemaphoreSlim SqliteCopies = new(1, 1);

    private readonly string? _folder;
    private readonly string? _adminConnectionString;
    private readonly string? _name;
    private int _disposed;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder, string? admin, string? name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _adminConnectionString = admin;
        _name = name;
    }

    /// <summary>Which database.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>Where it is.</summary>
    public string ConnectionString { get; }

    /// <summary>An empty database (no tables).</summary>
    public static Task<TestDatabase> CreateAsync(DatabaseProvider provider) => CreateAsync(provider, template: null);

    /// <summary>A database with every migration applied and the bank's own accounts open, but no users.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(DatabaseProvider provider) =>
        await CreateAsync(provider, await Templates[provider].Value);

    /// <summary>The settings the bank reads to use this database.</summary>
    public IConfiguration Configuration(IReadOnlyDictionary<string, string?>? more = null) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["ConnectionStrings:Bank"] = ConnectionString,
        })
        .AddInMemoryCollection(more ?? new Dictionary<string, string?>())
        .Build();

    /// <summary>A context on this database, for arranging and checking state directly.</summary>
    public BankDbContext CreateContext() => Provider == DatabaseProvider.Sqlite
        ? new SqliteBankDbContext(new DbContextOptionsBuilder<SqliteBankDbContext>().UseSqlite(ConnectionString).Options)
        : new PostgresBankDbContext(new DbContextOptionsBuilder<PostgresBankDbContext>().UseNpgsql(ConnectionString).Options);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (_folder is not null)
            {
                SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
                Directory.Delete(_folder, recursive: true);
            }
            else if (_adminConnectionString is not null)
            {
                NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
                NpgsqlConnection.ClearPool(new NpgsqlConnection(DatabaseSetup.PreparePostgres(ConnectionString)));
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

    private static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, TestDatabase? template)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("bank-sqlite-").FullName;
            var database = new TestDatabase(provider, $"Data Source={Path.Combine(folder, "bank.db")}", folder, null, null);
            if (template is not null)
            {
                await SqliteCopies.WaitAsync();
                try
                {
                    await CopyAsync(template, database);
                }
                finally
                {
                    SqliteCopies.Release();
                }
            }

            return database;
        }

        return await CreatePostgresAsync(provider, template);
    }

    /// <summary>Copies the template into the new file with SQLite's online backup (a consistent image), then turns on WAL as the app does.</summary>
    private static async Task CopyAsync(TestDatabase template, TestDatabase database)
    {
        await using var source = new SqliteConnection(template.ConnectionString + ";Pooling=False");
        await using var target = new SqliteConnection(database.ConnectionString + ";Pooling=False");
        await source.OpenAsync();
        await target.OpenAsync();
        source.BackupDatabase(target);
        await using var wal = target.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        await wal.ExecuteNonQueryAsync();
    }

    private static async Task<TestDatabase> CreatePostgresAsync(DatabaseProvider provider, TestDatabase? template)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            var from = template is null ? "" : $" TEMPLATE \"{template._name}\"";
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{from}", connection);
            await command.ExecuteNonQueryAsync();
        }

        // A test database needs few connections; a modest pool keeps many of them within the server's limit (concurrent clients wait their turn).
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 40 };
        return new TestDatabase(provider, builder.ConnectionString, null, admin, name);
    }

    /// <summary>Migrates an empty database with the bank's own <see cref="BankDatabase"/>, then closes every connection to it.</summary>
    private static async Task<TestDatabase> MigratedTemplateAsync(DatabaseProvider provider)
    {
        var template = await CreateAsync(provider, template: null);
        await using (var services = new ServiceCollection().AddLogging().AddBankCore(template.Configuration()).BuildServiceProvider())
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BankDatabase>().MigrateAsync(CancellationToken.None);
        }

        // A PostgreSQL template must have no open connections while it is copied: those of the pool the bank used.
        if (provider == DatabaseProvider.Postgres)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(DatabaseSetup.PreparePostgres(template.ConnectionString)));
        }
        else
        {
            SqliteConnection.ClearPool(new SqliteConnection(template.ConnectionString));
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return template;
    }
}
