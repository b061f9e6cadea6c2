using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Bank.Web.Commands;

/// <summary>What runs before the server listens (migrations, first Super_Admin), and what the commands print alike.</summary>
public static partial class StartupTasks
{
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
