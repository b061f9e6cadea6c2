using System.Data.Common;
using Bank.Core.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Core.Data;

/// <summary>Registers the database chosen by <c>Database:Provider</c>.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddBankDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        services.AddSingleton<WriteGate>();
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = PrepareSqlite(connectionString);
                services.AddDbContextPool<SqliteBankDbContext>(o => o
                    .UseSqlite(sqlite)
                    .AddInterceptors(SqlitePragmas.Instance));
                services.AddScoped<BankDbContext>(sp => sp.GetRequiredService<SqliteBankDbContext>());
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<PostgresBankDbContext>(o => o.UseNpgsql(connectionString));
                services.AddScoped<BankDbContext>(sp => sp.GetRequiredService<PostgresBankDbContext>());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider));
        }

        return services;
    }

    /// <summary>Creates the folder of a file database and sets a generous busy timeout.</summary>
    public static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        return builder.ToString();
    }

    /// <summary>Applies the migrations of the configured database, on SQLite turns on WAL, and opens the bank's own accounts.</summary>
    public static async Task MigrateAsync(BankDbContext db, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        await BankAccounts.EnsureAsync(db, ct);
    }

    /// <summary>Per-connection SQLite settings: wait for the writer instead of failing, and fsync less often under WAL.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
