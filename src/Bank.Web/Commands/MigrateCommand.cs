using Bank.Core.Data;
using Spectre.Console.Cli;

namespace Bank.Web.Commands;

/// <summary><c>migrate</c>: brings the database to the latest version (for instances started with Database:MigrateOnStart=false).</summary>
public sealed class MigrateCommand(CommandHost host) : BankCommand<EmptyCommandSettings>(host)
{
    /// <inheritdoc/>
    protected override async Task<int> RunAsync(IServiceProvider services, EmptyCommandSettings settings, CancellationToken ct)
    {
        var database = services.GetRequiredService<BankDatabase>();
        await database.MigrateAsync(ct);
        Console.WriteLine($"The {database.Provider} database is migrated to the latest version.");
        return 0;
    }
}
