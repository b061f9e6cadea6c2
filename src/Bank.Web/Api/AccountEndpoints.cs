using Bank.Core;
using Bank.Core.Accounts;
using Bank.Web.Infrastructure;

namespace Bank.Web.Api;

/// <summary>A customer's own account; freezing, unfreezing and closing (administrators); the ledger check (Super_Admin).</summary>
public static class AccountEndpoints
{
    /// <summary>Maps <c>/accounts</c> and <c>/ledger</c>.</summary>
    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapGet("/me", (Actor actor, AccountService service, CancellationToken ct) => service.GetMineAsync(actor, ct).ToOkAsync())
            .RequireAuthorization(Policies.Customer).Fails(FailureTypes.NotFound)
            .WithSummary("Your account: number, balance, status, branch.");
        accounts.MapPatch("/{accountNumber}", (string accountNumber, AccountChange change, Actor actor, AccountService service, CancellationToken ct) =>
                service.ChangeStatusAsync(actor, accountNumber, change, ct).ToOkAsync())
            .RequireAuthorization(Policies.Administrators)
            .Fails(FailureTypes.NotFound, FailureTypes.AccountNotEmpty, FailureTypes.AccountClosed, FailureTypes.Conflict)
            .WithSummary("Freeze, unfreeze or close (only at zero balance) a customer account, with an optional reason for the audit trail.");

        api.MapGet("/ledger/verify", async (LedgerVerifier verifier, CancellationToken ct) => TypedResults.Ok(await verifier.VerifyAsync(ct)))
            .WithTags("Ledger").RequireAuthorization(Policies.SuperAdmin)
            .WithSummary("Checks the books: each balance equals its entries, each transaction sums to zero, all entries sum to zero.");
        return api;
    }
}
