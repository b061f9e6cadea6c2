using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bank.Web.Api;

public sealed record AccountStatusRequest(string? Status);

/// <summary>A customer's own account; freezing, unfreezing and closing (administrators); the ledger check (Super_Admin).</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapGet("/me", GetMineAsync).RequireAuthorization(Policies.Customer)
            .WithSummary("Your account: number, balance, status, branch.");
        accounts.MapPatch("/{accountNumber}", ChangeStatusAsync).RequireAuthorization(Policies.Administrators)
            .WithSummary("Freeze, unfreeze or close (only at zero balance) a customer account.");

        api.MapGet("/ledger/verify", VerifyAsync).WithTags("Ledger").RequireAuthorization(Policies.SuperAdmin)
            .WithSummary("Checks the books: each balance equals its entries, each transaction sums to zero, all entries sum to zero.");
        return api;
    }

    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> GetMineAsync(HttpContext context, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.GetMineAsync(context.ToActor(), ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(result.Value);
    }

    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> ChangeStatusAsync(
        string accountNumber, AccountStatusRequest request, HttpContext context, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.ChangeStatusAsync(context.ToActor(), accountNumber, new AccountChange(request.Status), ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(result.Value);
    }

    private static async Task<Ok<LedgerReport>> VerifyAsync(LedgerVerifier verifier, CancellationToken ct) =>
        TypedResults.Ok(await verifier.VerifyAsync(ct));
}
