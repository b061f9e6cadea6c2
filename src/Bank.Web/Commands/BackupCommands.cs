using System.ComponentModel;
using System.Globalization;
using Bank.Core.Data;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Bank.Web.Commands;

/// <summary>What <c>backup</c> takes: the new file to write.</summary>
public sealed class BackupSettings : CommandSettings
{
    /// <summary>The new file the backup goes to.</summary>
    [CommandArgument(0, "<PATH>")]
    [Description("The new file to write (never an existing one); its folders are made.")]
    public string Path { get; init; } = "";

    /// <inheritdoc/>
    public override ValidationResult Validate() => BackupTarget.CheckPath("backup", Path);
}

/// <summary>What <c>restore</c> takes: the backup to put in place.</summary>
public sealed class RestoreSettings : CommandSettings
{
    /// <summary>The backup file to restore.</summary>
    [CommandArgument(0, "<PATH>")]
    [Description("The backup file to check and restore.")]
    public string Path { get; init; } = "";

    /// <inheritdoc/>
    public override ValidationResult Validate() => BackupTarget.CheckPath("restore", Path);
}

/// <summary>
/// <c>backup PATH</c> on a SQLite bank (<see cref="SqliteBackup"/>): a consistent copy of the running bank's database in
/// a new file PATH (an existing file is refused; folders are made), its size and time, then the copy's integrity check.
/// On PostgreSQL it answers with the way to do it there (pg_dump, docs/operations.md). Exit codes: 0 done, 1 failed,
/// 2 bad arguments or the wrong database.
/// </summary>
public sealed class BackupCommand(CommandHost host) : BankCommand<BackupSettings>(host)
{
    /// <inheritdoc/>
    protected override async Task<int> RunAsync(IServiceProvider services, BackupSettings settings, CancellationToken ct)
    {
        if (!BackupTarget.TryStart(services, "backup", settings.Path, out var database, out var path))
        {
            return 2;
        }

        if (File.Exists(path) || Directory.Exists(path))
        {
            await Console.Error.WriteLineAsync($"PATH {path} exists already: a backup never overwrites one. Choose a new file name.");
            return 2;
        }

        if (!File.Exists(database))
        {
            await Console.Error.WriteLineAsync($"There is no database at {database} (ConnectionStrings:Bank) to back up.");
            return 1;
        }

        var made = await SqliteBackup.BackupAsync(database, path, ct);
        Console.WriteLine($"Backup of {database} written to {path}: {Size(made.Bytes)} in {made.Took.TotalSeconds:0.0} s.");
        var integrity = await SqliteBackup.CheckAsync(path, ct);
        if (integrity.Ledger is null)
        {
            await Console.Error.WriteLineAsync($"The backup does NOT pass its check: {integrity.Problem}");
            return 1;
        }

        Console.WriteLine("The backup passes PRAGMA integrity_check.");
        StartupTasks.PrintLedgerReport(integrity.Ledger);
        return integrity.Ok ? 0 : 1;
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB"),
    };
}

/// <summary>
/// <c>restore PATH</c> on a SQLite bank: checks the backup on a copy next to the database (integrity, migrations, the
/// ledger), and puts that copy in place of the configured database only while no server runs on it; the replaced files
/// are kept aside. On PostgreSQL it answers with the way to do it there (pg_restore). Exit codes: 0 done, 1 refused or
/// failed (nothing changed), 2 bad arguments or the wrong database.
/// </summary>
public sealed class RestoreCommand(CommandHost host) : BankCommand<RestoreSettings>(host)
{
    /// <inheritdoc/>
    protected override async Task<int> RunAsync(IServiceProvider services, RestoreSettings settings, CancellationToken ct)
    {
        if (!BackupTarget.TryStart(services, "restore", settings.Path, out var database, out var path))
        {
            return 2;
        }

        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"There is no backup at {path}.");
            return 2;
        }

        if (string.Equals(path, database, StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"PATH {path} is the configured database itself; give a backup file.");
            return 2;
        }

        using var held = SqliteInstanceLock.TryExclusive(database);
        if (held is null)
        {
            await Console.Error.WriteLineAsync(
                $"The bank is running on {database} (a server holds {SqliteInstanceLock.PathOf(database)}). Stop every instance, then restore. Nothing was changed.");
            return 1;
        }

        var staged = database + ".restoring";
        File.Delete(staged);
        File.Copy(path, staged);
        try
        {
            Console.WriteLine($"Checking the backup {path} ...");
            var check = await SqliteBackup.CheckAsync(staged, ct);
            if (check.Ledger is not null)
            {
                StartupTasks.PrintLedgerReport(check.Ledger);
            }

            if (!check.Ok)
            {
                await Console.Error.WriteLineAsync($"The backup is NOT restored: {check.Problem} The database at {database} is unchanged.");
                return 1;
            }

            var clock = services.GetRequiredService<TimeProvider>();
            var aside = await SqliteBackup.PutInPlaceAsync(staged, database, clock.GetUtcNow(), ct);
            Console.WriteLine($"Restored {path} to {database}.");
            Console.WriteLine(aside is null
                ? "There was no database there before."
                : $"The database it replaced is kept as {aside} (with its -wal and -shm files, if it had them); delete it once the bank runs well.");
            Console.WriteLine("Start the bank; a backup of an older version is migrated at start (or with migrate).");
            return 0;
        }
        finally
        {
            File.Delete(staged);
        }
    }
}

/// <summary>What <c>backup</c> and <c>restore</c> check first: a PATH, a SQLite bank (else the PostgreSQL way), the full paths.</summary>
internal static class BackupTarget
{
    private const string PostgresWay =
        "On PostgreSQL, back up with pg_dump -Fc (or base backups with WAL archiving for point-in-time recovery) and restore " +
        "with pg_restore; docs/operations.md, \"Backups and restore\", gives the procedure and the restore drill.";

    /// <summary>A PATH that is there; a blank one is refused with the verb's usage.</summary>
    public static ValidationResult CheckPath(string verb, string path) =>
        string.IsNullOrWhiteSpace(path)
            ? ValidationResult.Error($"Usage: {verb} PATH   (for example: {verb} backups/bank-2026-12-01.db)")
            : ValidationResult.Success();

    /// <summary>Checks the database (SQLite), saying what is wrong; the full paths of the database and PATH when right.</summary>
    public static bool TryStart(IServiceProvider services, string verb, string argument, out string database, out string path)
    {
        (database, path) = ("", "");
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (options.Kind != DatabaseProvider.Sqlite)
        {
            Console.Error.WriteLine($"{verb} works on a SQLite database; this bank is on {options.Kind}. {PostgresWay}");
            return false;
        }

        // A relative path is relative to the working directory (which `dotnet run --project` sets to the project's folder).
        database = SqliteBackup.DatabaseFile(options.ConnectionString);
        path = Path.GetFullPath(argument);
        return true;
    }
}
