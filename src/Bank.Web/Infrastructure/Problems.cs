using System.Text.Json;
using Bank.Core;
using Bank.Core.Accounts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Infrastructure;

/// <summary>The one place where service failures become HTTP statuses and RFC 9457 problem details.</summary>
public static class Problems
{
    public const string TypeBase = "https://bank.local/problems/";

    public static int StatusOf(string code) => code switch
    {
        FailureCodes.Validation => StatusCodes.Status400BadRequest,
        FailureCodes.NotFound => StatusCodes.Status404NotFound,
        FailureCodes.Forbidden or FailureCodes.PasswordChangeRequired => StatusCodes.Status403Forbidden,
        FailureCodes.Conflict or FailureCodes.LastSuperAdmin => StatusCodes.Status409Conflict,
        FailureCodes.InvalidCredentials or FailureCodes.AccountLocked or FailureCodes.UserNotActive => StatusCodes.Status401Unauthorized,
        LedgerFailures.InvalidAmountCode or LedgerFailures.InvalidAccountNumberCode => StatusCodes.Status400BadRequest,
        LedgerFailures.AccountFrozenCode or LedgerFailures.AccountClosedCode or LedgerFailures.AccountNotEmptyCode => StatusCodes.Status409Conflict,
        LedgerFailures.CustomerNotActiveCode => StatusCodes.Status403Forbidden,
        LedgerFailures.LimitExceededCode or LedgerFailures.InsufficientFundsCode or LedgerFailures.UnknownAccountCode or LedgerFailures.SameAccountCode
            or LedgerFailures.RecipientNotActiveCode or LedgerFailures.IdempotencyConflictCode => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemDetails ToProblem(Failure failure, int? status = null)
    {
        var code = status ?? StatusOf(failure.Code);
        var problem = failure.FieldErrors is { } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Title = failure.Message }
            : new ProblemDetails { Title = TitleOf(failure.Code) };
        problem.Type = TypeBase + failure.Code;
        problem.Status = code;
        problem.Detail = failure.Message;
        return problem;
    }

    /// <summary>The typed result for a failure (for minimal API handlers).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Result(Failure failure) => TypedResults.Problem(ToProblem(failure));

    public static Task WriteAsync(HttpContext context, Failure failure, int status) => WriteAsync(context, ToProblem(failure, status));

    /// <summary>Writes problem details as JSON whatever the client's Accept header says (an error must never become a 500).</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
    }

    private static string TitleOf(string code) => code switch
    {
        FailureCodes.NotFound => "Not found.",
        FailureCodes.Forbidden => "Not allowed.",
        FailureCodes.PasswordChangeRequired => "Password change required.",
        FailureCodes.InvalidCredentials => "Sign-in failed.",
        FailureCodes.AccountLocked => "Account locked.",
        FailureCodes.UserNotActive => "Account not active.",
        FailureCodes.LastSuperAdmin => "The last active Super_Admin must stay.",
        LedgerFailures.InsufficientFundsCode => "Insufficient funds.",
        LedgerFailures.LimitExceededCode => "Over the per-transaction limit.",
        LedgerFailures.AccountFrozenCode => "Account frozen.",
        LedgerFailures.AccountClosedCode => "Account closed.",
        LedgerFailures.InvalidAmountCode => "Invalid amount.",
        LedgerFailures.InvalidAccountNumberCode => "Invalid account number.",
        LedgerFailures.UnknownAccountCode => "Unknown account.",
        LedgerFailures.SameAccountCode => "Transfer to your own account.",
        LedgerFailures.CustomerNotActiveCode => "User not active.",
        LedgerFailures.RecipientNotActiveCode => "Recipient not active.",
        LedgerFailures.IdempotencyConflictCode => "Idempotency-Key reused with another request.",
        LedgerFailures.AccountNotEmptyCode => "Account not empty.",
        _ => "The request was refused.",
    };
}

/// <summary>Turns unreadable requests (malformed JSON, wrong types, wrong content type) into 400/415 problem details naming the field.</summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        ProblemDetails problem;
        if (bad.InnerException is JsonException json)
        {
            var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = ["Is not valid JSON of the expected type (see the API reference)."],
            })
            {
                Title = "The request body is not valid JSON for this endpoint.",
            };
        }
        else
        {
            problem = new ProblemDetails
            {
                Title = status == StatusCodes.Status415UnsupportedMediaType
                    ? "Send the body as application/json."
                    : "The request could not be read.",
            };
        }

        problem.Status = status;
        problem.Type = Problems.TypeBase + (status == StatusCodes.Status415UnsupportedMediaType ? "unsupported-media-type" : "bad-request");
        await Problems.WriteAsync(httpContext, problem);
        return true;
    }
}
