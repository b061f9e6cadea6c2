using System.Text.Json;
using System.Text.RegularExpressions;
using Bank.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Infrastructure;

/// <summary>
/// The one place where failures become HTTP: each <see cref="FailureKind"/> has one status, each row of
/// <see cref="FailureTypes"/> one problem type (<c>https://bank.local/problems/&lt;code&gt;</c>) and title.
/// </summary>
public static class Problems
{
    /// <summary>The start of every problem type.</summary>
    public const string TypeBase = "https://bank.local/problems/";

    /// <summary>The HTTP status of a kind of failure.</summary>
    public static int StatusOf(FailureKind kind) => kind switch
    {
        FailureKind.BadInput => StatusCodes.Status400BadRequest,
        FailureKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        FailureKind.Refused => StatusCodes.Status422UnprocessableEntity,
        FailureKind.Throttled => StatusCodes.Status429TooManyRequests,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>RFC 9457 problem details of a failure; bad input lists its fields under <c>errors</c>.</summary>
    public static ProblemDetails ToProblem(Failure failure)
    {
        var problem = failure.FieldErrors is { } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Title = failure.Type.Title }
            : new ProblemDetails { Title = failure.Type.Title };
        problem.Type = TypeBase + failure.Code;
        problem.Status = StatusOf(failure.Type.Kind);
        problem.Detail = failure.Message;
        return problem;
    }

    /// <summary>The typed result of a failure, for endpoint handlers.</summary>
    public static ProblemHttpResult Result(Failure failure) => TypedResults.Problem(ToProblem(failure));

    /// <summary>Writes a failure as problem details JSON, whatever the client's Accept header says (an error must never become a 500).</summary>
    public static Task WriteAsync(HttpContext context, Failure failure) => WriteAsync(context, ToProblem(failure));

    /// <summary>Writes problem details as JSON with their status.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        Count(context, problem);
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
    }

    /// <summary>
    /// Counts, in <c>bank.refusals</c>, every problem that endpoints of the group answer with (the other road of problems
    /// to a response, beside <see cref="WriteAsync(HttpContext, ProblemDetails)"/>, which counts its own).
    /// </summary>
    public static RouteGroupBuilder CountsRefusals(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (ProblemOf(result) is { } problem)
            {
                Count(context.HttpContext, problem);
            }

            return result;
        });
        return group;
    }

    /// <summary>Counts a refusal shown to a person (a page's failure) like one answered to a machine.</summary>
    public static void Count(HttpContext context, Failure failure) => context.Items[RefusalKey] = failure.Code;

    /// <summary>
    /// Counts each request's refusal in <c>bank.refusals</c> as its answer starts (before its client can see it, so a
    /// scrape right after the answer includes it): the roads above only mark the request with the refusal's code.
    /// </summary>
    public static IApplicationBuilder UseRefusalCounting(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<BankMetrics>();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Items.TryGetValue(RefusalKey, out var code) && code is string refused)
                {
                    metrics.Refused(refused);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    private const string RefusalKey = "bank:refusal";

    private static void Count(HttpContext context, ProblemDetails problem) =>
        context.Items[RefusalKey] = problem.Type is { } type && type.StartsWith(TypeBase, StringComparison.Ordinal) ? type[TypeBase.Length..] : "other";

    private static ProblemDetails? ProblemOf(object? result) => result switch
    {
        ProblemHttpResult problem => problem.ProblemDetails,
        INestedHttpResult nested => ProblemOf(nested.Result),
        _ => null,
    };
}

/// <summary>
/// The one mapping from a service's <see cref="Result{T}"/> to an endpoint's answer: the value as the given success, the
/// failure as problem details. Every handler ends in one of these.
/// </summary>
public static class ResultHttp
{
    /// <summary>200 with the value, or the failure's problem.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Result<T> result) =>
        result.ToHttp(TypedResults.Ok);

    /// <summary>The success <paramref name="ok"/> makes of the value, or the failure's problem.</summary>
    public static Results<TOk, ProblemHttpResult> ToHttp<T, TOk>(this Result<T> result, Func<T, TOk> ok)
        where TOk : IResult =>
        result.Match<Results<TOk, ProblemHttpResult>>(value => ok(value), failure => Problems.Result(failure));

    /// <summary><see cref="ToOk{T}(Result{T})"/> of a pending call.</summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> ToOkAsync<T>(this Task<Result<T>> pending) => (await pending).ToOk();

    /// <summary><see cref="ToHttp{T, TOk}(Result{T}, Func{T, TOk})"/> of a pending call.</summary>
    public static async Task<Results<TOk, ProblemHttpResult>> ToHttpAsync<T, TOk>(this Task<Result<T>> pending, Func<T, TOk> ok)
        where TOk : IResult => (await pending).ToHttp(ok);
}

/// <summary>Turns unreadable requests (malformed JSON, wrong types, wrong content type) into 400/415 problem details naming the field.</summary>
public sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var failure = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType
            ? FailureTypes.UnsupportedMediaType.Because("Send the body as application/json.")
            : UnboundParameter().Match(bad.Message) is { Success: true } unbound
                ? Failure.Validation(JsonNamingPolicy.CamelCase.ConvertName(unbound.Groups["name"].Value), RuleOf(unbound.Groups["type"].Value))
            : bad.InnerException is JsonException json
                ? FailureTypes.BadRequest.Because("The request body is not valid JSON for this endpoint.", new Dictionary<string, string[]>
                {
                    [FieldOf(json)] = [JsonRule(json)],
                })
                : FailureTypes.BadRequest.Because("The request could not be read.");
        var problem = Problems.ToProblem(failure);
        // Kestrel's own statuses (413 body too large, 408 …) are kept; everything else is a 400.
        problem.Status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : problem.Status;
        await Problems.WriteAsync(httpContext, problem);
        return true;
    }

    /// <summary>
    /// A query or route value of the wrong type (<c>?limit=abc</c>): the framework's binding failure, which names the
    /// parameter, becomes a field error like every other mistake in a query.
    /// </summary>
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)" from ".*"\.$""", RegexOptions.Singleline)]
    private static partial Regex UnboundParameter();

    /// <summary>The member a JSON error is about: where reading stopped, ending with the unknown or repeated member's name.</summary>
    private static string FieldOf(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : json.Path.TrimStart('$', '.');
        if ((Unmapped(json) || Duplicate(json)) && QuotedMember().Match(json.Message) is { Success: true } quoted
            && !path.EndsWith(quoted.Groups["name"].Value, StringComparison.Ordinal))
        {
            path = path.Length == 0 ? quoted.Groups["name"].Value : $"{path}.{quoted.Groups["name"].Value}";
        }

        return path.Length == 0 ? "body" : path;
    }

    private static string JsonRule(JsonException json) =>
        Unmapped(json) ? "Is not a member of this request (see the API reference)."
        : Duplicate(json) ? "Appears more than once; give each member once."
        : "Is not valid JSON of the expected type (see the API reference).";

    private static bool Unmapped(JsonException json) => json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal);

    private static bool Duplicate(JsonException json) => json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("'(?<name>[^']+)'")]
    private static partial Regex QuotedMember();

    private static string RuleOf(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "Int32" or "Int64" => "Must be a whole number.",
        "bool" or "Boolean" => "Must be true or false.",
        _ => "Has the wrong form.",
    };
}
