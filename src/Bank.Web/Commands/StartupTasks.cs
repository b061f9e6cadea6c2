using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Bank.Web.Commands;

/// <summary>What runs before the server listens (migrations, first Super_Admin) and the command-line verbs.</summary>
public static partial class StartupTasks
{
    /// <summary>Runs a verb such as <c>migrate</c> and returns its exit code, or null when the arguments name no verb.</summary>
    public static async Task<int?> RunCommandAsync(WebApplication app, string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=') ? args[0] : null;
        if (verb is null)
        {
            return null;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (verb)
        {
            case "migrate":
                var database = services.GetRequiredService<BankDatabase>();
                await database.MigrateAsync(CancellationToken.None);
                Console.WriteLine($"The {database.Provider} database is migrated to the latest version.");
                return 0;
            case "verify-ledger":
                var report = await services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None);
                PrintLedgerReport(report);
                return report.Ok ? 0 : 1;
            case "unlock":
                return await UnlockAsync(services.GetRequiredService<UserAdministration>(), args[1..]);
            case "openapi":
                return await WriteOpenApiAsync(services, args[1..]);
            case "backup":
                return await BackupCommands.BackupAsync(services, args[1..], CancellationToken.None);
            case "restore":
                return await BackupCommands.RestoreAsync(services, args[1..], CancellationToken.None);
            case DemoDataCommand.Verb:
                return await DemoDataCommand.RunAsync(services, args[1..], CancellationToken.None);
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{verb}'. Commands: migrate, verify-ledger, unlock <userId>, openapi [file], {DemoDataCommand.Usage}, {BackupCommands.BackupUsage}, {BackupCommands.RestoreUsage}.");
                return 2;
        }
    }

    /// <summary><c>unlock &lt;userId&gt;</c>: lifts a user's lock (the operator's way back in for a locked-out Super_Admin).</summary>
    private static async Task<int> UnlockAsync(UserAdministration administration, string[] args)
    {
        if (args.Length != 1)
        {
            await Console.Error.WriteLineAsync("Usage: unlock <userId>   (for example: unlock 56125810021)");
            return 2;
        }

        var result = await administration.UnlockAsOperatorAsync(args[0], CancellationToken.None);
        if (!result.TryGet(out var wasLocked, out var failure))
        {
            await Console.Error.WriteLineAsync(failure.Message);
            return 1;
        }

        Console.WriteLine(wasLocked ? $"User {args[0].Trim()} is unlocked and may sign in again." : $"User {args[0].Trim()} was not locked; failed attempts are reset.");
        return 0;
    }

    /// <summary>
    /// <c>openapi [file]</c>: writes the OpenAPI document (as <c>/openapi/v1.json</c> serves it) to the file, or to standard
    /// output; no server and no database needed, so CI lints the contract before anything runs.
    /// </summary>
    private static async Task<int> WriteOpenApiAsync(IServiceProvider services, string[] args)
    {
        if (args.Length > 1)
        {
            await Console.Error.WriteLineAsync("Usage: openapi [file]   (for example: openapi openapi.json; without a file, to standard output)");
            return 2;
        }

        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiContract.DocumentName).GetOpenApiDocumentAsync(CancellationToken.None);
        var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, CancellationToken.None);
        if (args.Length == 0)
        {
            Console.WriteLine(json);
            return 0;
        }

        // A relative path is relative to the working directory (which `dotnet run --project` sets to the project's folder).
        var file = Path.GetFullPath(args[0]);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, json + "\n");
        await Console.Error.WriteLineAsync($"The OpenAPI document is written to {file}.");
        return 0;
    }

    /// <summary>The ledger check as <c>verify-ledger</c> prints it: counts, sums, anything off (to standard error), the verdict.</summary>
    public static void PrintLedgerReport(LedgerReport report)
    {
        Console.WriteLine($"Accounts: {report.Accounts}, transactions: {report.Transactions}, entries: {report.Entries}.");
        Console.WriteLine($"Sum of all entries: {report.SumOfEntries:0.00}; sum of all balances: {report.SumOfBalances:0.00}.");
        foreach (var problem in report.Problems)
        {
            Console.Error.WriteLine("  OFF: " + problem);
        }

        Console.WriteLine(report.Ok ? "The ledger verifies: every balance equals its entries and everything sums to zero." : "The ledger does NOT verify.");
    }

    /// <summary>Prints the first Super_Admin just created: to the console once, never to the logs (the only place the password appears).</summary>
    public static void PrintBootstrapped(BootstrappedSuperAdmin created)
    {
        Console.WriteLine();
        Console.WriteLine("  First Super_Admin created.");
        Console.WriteLine($"    User ID:  {created.UserId}");
        Console.WriteLine(created.PasswordGenerated
            ? $"    One-time password:  {created.Password}   (shown only now; you must change it at first sign-in)"
            : "    Password: the one set in Bootstrap:SuperAdmin:Password (you must change it at first sign-in)");
        Console.WriteLine();
    }

    /// <summary>What a Production start without a certificate for the Data Protection keys logs, once.</summary>
    public const string UnencryptedKeysWarning =
        "The Data Protection keys (which protect sessions' antiforgery tokens and second-factor secrets) are stored in the database unencrypted: "
        + "set DataProtection:CertificatePath and DataProtection:CertificatePassword to a certificate that encrypts them (docs/operations.md, Keys at rest and rotation).";

    /// <summary>
    /// Marks a SQLite database as in use by this server (<see cref="SqliteInstanceLock"/>, so that <c>restore</c> waits for
    /// it to stop), migrates (unless Database:MigrateOnStart is false) and creates the first Super_Admin on an empty
    /// database; in Production without <c>DataProtection:CertificatePath</c>, warns once that the keys are stored
    /// unencrypted. False when the server must not start (a restore is putting the database in place).
    /// </summary>
    public static async Task<bool> PrepareAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (options.Kind == DatabaseProvider.Sqlite)
        {
            var file = SqliteBackup.DatabaseFile(options.ConnectionString);
            var inUse = SqliteInstanceLock.TryShared(file);
            if (inUse is null)
            {
                await Console.Error.WriteLineAsync($"The bank cannot start: a restore is putting a backup in place of {file}. Start it when the restore is done.");
                return false;
            }

            app.Lifetime.ApplicationStopped.Register(inUse.Dispose);
        }

        if (options.MigrateOnStart)
        {
            await services.GetRequiredService<BankDatabase>().MigrateAsync(CancellationToken.None);
        }

        if (app.Environment.IsProduction() && !services.GetRequiredService<IOptions<KeyProtectionOptions>>().Value.EncryptsKeys)
        {
            LogUnencryptedKeys(app.Logger);
        }

        var created = await services.GetRequiredService<Bootstrapper>().EnsureSuperAdminAsync(CancellationToken.None);
        if (created is not null)
        {
            PrintBootstrapped(created);
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            foreach (var address in addresses ?? [])
            {
                Console.WriteLine($"  Open {address.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)} to sign in; API reference at {address}/scalar");
            }
        });
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = UnencryptedKeysWarning)]
    private static partial void LogUnencryptedKeys(ILogger logger);
}
