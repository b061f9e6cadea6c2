using System.ComponentModel;
using Bank.Core.Users;
using Spectre.Console.Cli;

namespace Bank.Web.Commands;

/// <summary>What <c>unlock</c> takes: the user.</summary>
public sealed class UnlockSettings : CommandSettings
{
    /// <summary>The User ID whose lock is lifted.</summary>
    [CommandArgument(0, "<userId>")]
    [Description("The User ID to unlock, such as 56125810021.")]
    public string UserId { get; init; } = "";
}

/// <summary><c>unlock &lt;userId&gt;</c>: lifts a user's lock (the operator's way back in for a locked-out Super_Admin).</summary>
public sealed class UnlockCommand(CommandHost host) : BankCommand<UnlockSettings>(host)
{
    /// <inheritdoc/>
    protected override async Task<int> RunAsync(IServiceProvider services, UnlockSettings settings, CancellationToken ct)
    {
        var result = await services.GetRequiredService<UserAdministration>().UnlockAsOperatorAsync(settings.UserId, ct);
        if (!result.TryGet(out var wasLocked, out var failure))
        {
            await Console.Error.WriteLineAsync(failure.Message);
            return 1;
        }

        var userId = settings.UserId.Trim();
        Console.WriteLine(wasLocked ? $"User {userId} is unlocked and may sign in again." : $"User {userId} was not locked; failed attempts are reset.");
        return 0;
    }
}
