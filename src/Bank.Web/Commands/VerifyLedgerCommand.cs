using Bank.Core.Accounts;
using Spectre.Console.Cli;

namespace Bank.Web.Commands;

/// <summary><c>verify-ledger</c>: the ledger check (<see cref="StartupTasks.PrintLedgerReport"/>); exit code 1 when the books do not verify.</summary>
public sealed class VerifyLedgerCommand(CommandHost host) : BankCommand<EmptyCommandSettings>(host)
{
    /// <inheritdoc/>
    protected override async Task<int> RunAsync(IServiceProvider services, EmptyCommandSettings settings, CancellationToken ct)
    {
        var report = await services.GetRequiredService<LedgerVerifier>().VerifyAsync(ct);
        StartupTasks.PrintLedgerReport(report);
        return report.Ok ? 0 : 1;
    }
}
