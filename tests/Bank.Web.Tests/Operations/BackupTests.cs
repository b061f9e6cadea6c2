using System.Diagnostics;
using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Operations;

/// <summary>
/// <c>backup PATH</c> and <c>restore PATH</c> as processes beside a running bank: a consistent copy taken during a burst of
/// writes, restored and verified; refusals that change nothing (a running bank, a damaged backup, an existing PATH); and
/// on PostgreSQL the pointer to pg_dump.
/// </summary>
public sealed class BackupTests(BankApps apps) : IClassFixture<BankApps>
{
    [Fact]
    public async Task A_backup_taken_during_a_burst_of_writes_restores_to_books_that_verify_and_hold_every_transfer_acknowledged_before_it()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var customers = await TransferBurst.CustomersAsync(app, count: 4, deposit: 1000m);
        var folder = Directory.CreateTempSubdirectory("bank-backup-").FullName;
        var backup = Path.Combine(folder, "backups", "nested", "bank-backup.db");
        try
        {
            // The running bank (this app, in the test's process) keeps writing while the backup process copies.
            var burst = new TransferBurst();
            var writes = burst.RunAsync(customers, c => c.Client, transfers: 100_000, workers: 8);
            await Eventually.HoldsAsync(() => burst.Acknowledged.Count >= 20);
            var beforeBackup = burst.Acknowledged.Keys.ToList();
            var acknowledgedAtStart = burst.Acknowledged.Count;
            var started = Stopwatch.GetTimestamp();

            var (exitCode, output) = await RunAsync(app.Database.ConnectionString, ["backup", backup]);

            var duringBackup = burst.Acknowledged.Values.Count(a => a.At > started);
            await StopAsync(burst, writes);
            Assert.True(exitCode == 0, output);
            Assert.Contains("written to " + backup, output, StringComparison.Ordinal);
            Assert.Contains("passes PRAGMA integrity_check", output, StringComparison.Ordinal);
            Assert.True(duringBackup > 0, "No transfer was acknowledged while the backup ran: it did not run beside a writing bank.");
            Assert.True(burst.Acknowledged.Count > acknowledgedAtStart);

            // Three processes at once: a restore over the running bank's database is refused and changes nothing; a
            // backup is never written over an existing file; restored into a fresh location (as onto a new server), the
            // copy verifies.
            var restored = $"Data Source={Path.Combine(folder, "restored", "bank.db")}";
            var results = await Task.WhenAll(
                RunAsync(app.Database.ConnectionString, ["restore", backup]),
                RunAsync(app.Database.ConnectionString, ["backup", backup]),
                RunAsync(restored, ["restore", backup]));
            var (refused, existing, restore) = (results[0], results[1], results[2]);
            Assert.True(refused.ExitCode == 1, refused.Output);
            Assert.Contains("The bank is running on", refused.Output, StringComparison.Ordinal);
            Assert.True(existing.ExitCode == 2, existing.Output);
            Assert.Contains("exists already", existing.Output, StringComparison.Ordinal);
            Assert.True(restore.ExitCode == 0, restore.Output);
            Assert.Contains("The ledger verifies", restore.Output, StringComparison.Ordinal);

            // The restored copy holds every transfer acknowledged before the backup began, and the ledger verifies.
            var verify = await RunAsync(restored, ["verify-ledger"]);
            Assert.True(verify.ExitCode == 0, verify.Output);
            await using (var db = Context(restored))
            {
                await TransferBurst.AssertInTheBooksAsync(db, beforeBackup);
                await TransferBurst.AssertNoneHalfAppliedAsync(db);
            }

            // A second restore over it keeps the database it replaces aside.
            var again = await RunAsync(restored, ["restore", backup]);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Single(Directory.GetFiles(Path.Combine(folder, "restored"), "bank.db.before-restore-*Z"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_backup_whose_ledger_does_not_verify_is_not_restored_and_the_database_is_unchanged()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var customers = await TransferBurst.CustomersAsync(app, count: 1, deposit: 50m);
        var folder = Directory.CreateTempSubdirectory("bank-backup-").FullName;
        try
        {
            var backup = Path.Combine(folder, "bank-backup.db");
            var made = await RunAsync(app.Database.ConnectionString, ["backup", backup]);
            Assert.True(made.ExitCode == 0, made.Output);
            var target = $"Data Source={Path.Combine(folder, "live", "bank.db")}";
            Assert.Equal(0, (await RunAsync(target, ["restore", backup])).ExitCode);
            var before = await File.ReadAllBytesAsync(Path.Combine(folder, "live", "bank.db"), TestContext.Current.CancellationToken);

            // The backup is tampered with: one balance no longer matches its entries.
            await using (var db = Context($"Data Source={backup}"))
            {
                await db.Accounts.Where(a => a.AccountNumber == customers[0].AccountNumber)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.BalancePaise, a => a.BalancePaise + 100), TestContext.Current.CancellationToken);
            }

            SqliteConnection.ClearAllPools();
            var (exitCode, output) = await RunAsync(target, ["restore", backup]);

            Assert.True(exitCode == 1, output);
            Assert.Contains(customers[0].AccountNumber, output, StringComparison.Ordinal);
            Assert.Contains("is NOT restored", output, StringComparison.Ordinal);
            Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(folder, "live", "bank.db"), TestContext.Current.CancellationToken));
            Assert.Empty(Directory.GetFiles(Path.Combine(folder, "live"), "*.before-restore-*"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task On_PostgreSQL_backup_and_restore_point_to_pg_dump_and_the_operations_guide()
    {
        var app = await apps.ForAsync(DatabaseProvider.Postgres);

        foreach (var verb in (string[])["backup", "restore"])
        {
            var (exitCode, output) = await BankProcess.RunAsync(DatabaseProvider.Postgres, app.Database.ConnectionString, [verb, "bank.dump"]);

            Assert.True(exitCode == 2, output);
            Assert.Contains("pg_dump -Fc", output, StringComparison.Ordinal);
            Assert.Contains("docs/operations.md", output, StringComparison.Ordinal);
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string connectionString, string[] args) =>
        BankProcess.RunAsync(DatabaseProvider.Sqlite, connectionString, args);

    /// <summary>A context on a database file that keeps no connection open after it (no pool), so that a restore may move the file.</summary>
    private static SqliteBankDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteBankDbContext>().UseSqlite(connectionString + ";Pooling=False").Options);

    /// <summary>Ends the burst: no new transfer starts, the ones under way finish.</summary>
    private static async Task StopAsync(TransferBurst burst, Task writes)
    {
        burst.Stop();
        await writes;
    }
}
