using System.Diagnostics;
using Bank.Core.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Data;

/// <summary>
/// Backup and restore of a SQLite bank (the <c>backup</c> and <c>restore</c> commands). A backup is one self-contained
/// file, a consistent image of the database made online with <c>VACUUM INTO</c> (one read transaction: the running bank
/// keeps writing meanwhile, under WAL, and the copy holds exactly what was committed when it began). A restore checks the
/// backup (integrity, migrations this build knows, the ledger verifies) on a copy next to the database, and only then
/// puts it in place, the replaced database (with its <c>-wal</c>/<c>-shm</c>) kept aside.
/// </summary>
public static class SqliteBackup
{
    /// <summary>The full path of the configured SQLite database file (relative paths are relative to the working directory, as the bank opens them).</summary>
    public static string DatabaseFile(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:")
        {
            throw new InvalidOperationException("ConnectionStrings:Bank names no database file (an in-memory database has nothing to back up).");
        }

        return Path.GetFullPath(source);
    }

    /// <summary>
    /// Writes a consistent copy of the database file to <paramref name="target"/> (a file that must not exist; its folder is
    /// made), in rollback-journal mode so that the copy is one file, synced to disk.
    /// </summary>
    public static async Task<BackupMade> BackupAsync(string databaseFile, string target, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var source = await OpenAsync(databaseFile, ct))
        {
            await ExecuteAsync(source, "VACUUM INTO @target", ct, ("@target", target));
        }

        await using (var copy = await OpenAsync(target, ct))
        {
            await ExecuteAsync(copy, "PRAGMA journal_mode=DELETE", ct);
        }

        // VACUUM INTO syncs as the source connection does; a backup must be on disk when the command says it is.
        await using (var file = new FileStream(target, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            file.Flush(flushToDisk: true);
        }

        return new BackupMade(new FileInfo(target).Length, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Checks a database file: <c>PRAGMA integrity_check</c>, its migrations (none this build does not know), and the
    /// ledger (<see cref="LedgerVerifier"/> on that file). Reads only.
    /// </summary>
    public static async Task<BackupCheck> CheckAsync(string file, CancellationToken ct)
    {
        await using (var connection = await OpenAsync(file, ct))
        {
            var integrity = await ScalarAsync(connection, "PRAGMA integrity_check", ct);
            if (integrity != "ok")
            {
                return new BackupCheck($"PRAGMA integrity_check found damage: {integrity}", null);
            }
        }

        await using var db = new SqliteBankDbContext(new DbContextOptionsBuilder<SqliteBankDbContext>().UseSqlite(ConnectionStringOf(file)).Options);
        IReadOnlyList<string> applied;
        try
        {
            applied = [.. await db.Database.GetAppliedMigrationsAsync(ct)];
        }
        catch (SqliteException ex)
        {
            return new BackupCheck($"The file is not a bank database ({ex.Message}).", null);
        }

        if (applied.Count == 0)
        {
            return new BackupCheck("The file is not a bank database (no migrations applied).", null);
        }

        var unknown = applied.Except(db.Database.GetMigrations(), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return new BackupCheck($"The backup was made by a newer version of the bank (migrations {string.Join(", ", unknown)}); restore it with that version.", null);
        }

        var ledger = await new LedgerVerifier(db).VerifyAsync(ct);
        return new BackupCheck(ledger.Ok ? null : "The ledger of the backup does not verify.", ledger);
    }

    /// <summary>
    /// Puts the checked copy <paramref name="staged"/> in place of <paramref name="database"/>: the database and its
    /// <c>-wal</c>/<c>-shm</c> are moved aside (returns where, or null when there was no database), the copy is renamed
    /// into place (same folder: atomic) and put in WAL mode as the bank runs it. Only while no instance runs
    /// (<see cref="SqliteInstanceLock"/>).
    /// </summary>
    public static async Task<string?> PutInPlaceAsync(string staged, string database, DateTimeOffset now, CancellationToken ct)
    {
        string? aside = null;
        if (File.Exists(database))
        {
            aside = $"{database}.before-restore-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
            foreach (var suffix in (string[])["", "-wal", "-shm"])
            {
                if (File.Exists(database + suffix))
                {
                    File.Move(database + suffix, aside + suffix);
                }
            }
        }

        File.Move(staged, database);
        await using (var connection = await OpenAsync(database, ct))
        {
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL", ct);
        }

        return aside;
    }

    /// <summary>The file's connection string: no pooling, so that the file is closed (and its WAL checkpointed) when done.</summary>
    private static string ConnectionStringOf(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();

    private static async Task<SqliteConnection> OpenAsync(string file, CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionStringOf(file) + ";Mode=ReadWrite");
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "PRAGMA busy_timeout=30000", ct);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync(ct))?.ToString();
    }
}

/// <summary>A backup written: its size and how long it took.</summary>
public sealed record BackupMade(long Bytes, TimeSpan Took);

/// <summary>What the check of a backup found: <see cref="Problem"/> is null when it may be restored; the ledger report when it got that far.</summary>
public sealed record BackupCheck(string? Problem, LedgerReport? Ledger)
{
    /// <summary>Whether the file passed every check.</summary>
    public bool Ok => Problem is null;
}

/// <summary>
/// Tells a restore that the bank runs on a SQLite file: every running server holds a shared lock (<c>flock</c>) on
/// <c>&lt;database&gt;.instances</c> for its lifetime (the operating system drops it when the process ends, however it
/// ends); a restore takes it exclusively, so it fails while any server runs and no server starts while it restores.
/// </summary>
public sealed class SqliteInstanceLock : IDisposable
{
    private readonly FileStream _file;

    private SqliteInstanceLock(FileStream file) => _file = file;

    /// <summary>The lock file of a database file.</summary>
    public static string PathOf(string databaseFile) => databaseFile + ".instances";

    /// <summary>A running server's shared hold; null when a restore holds the lock.</summary>
    public static SqliteInstanceLock? TryShared(string databaseFile) => TryOpen(databaseFile, FileShare.ReadWrite);

    /// <summary>A restore's exclusive hold; null while any server runs on the database.</summary>
    public static SqliteInstanceLock? TryExclusive(string databaseFile) => TryOpen(databaseFile, FileShare.None);

    private static SqliteInstanceLock? TryOpen(string databaseFile, FileShare share)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databaseFile)!);
        try
        {
            // On Unix, .NET takes flock(LOCK_SH) for a shared open and flock(LOCK_EX) for FileShare.None, without waiting.
            return new SqliteInstanceLock(new FileStream(PathOf(databaseFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, share));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
