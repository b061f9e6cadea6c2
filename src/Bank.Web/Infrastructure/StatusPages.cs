using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Bank.Web.Infrastructure;

/// <summary>What an error page says: its title (also the h1) and one helpful line.</summary>
public sealed record StatusMessage(int Status, string Title, string Line);

/// <summary>
/// Error answers for people: every error status of a path that is not for machines (<c>/api</c>, <c>/hubs</c>,
/// <c>/health</c>, <c>/openapi</c>, <c>/metrics</c>) is shown as a page inside the site's layout, with its status kept.
/// Machines keep getting problem details.
/// </summary>
public static class StatusPages
{
    /// <summary>The page that shows an error status (<c>/Status/404</c>); the status pages middleware re-executes it.</summary>
    public const string Path = "/Status";

    private static readonly string[] MachinePaths = ["/api", "/hubs", "/health", "/openapi", "/metrics"];

    /// <summary>Whether an error of this request is shown as a page (a person's path) rather than as problem details.</summary>
    public static bool ForPeople(HttpRequest request) => !MachinePaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the page of <paramref name="status"/> says; <paramref name="retryAfterSeconds"/> is the wait of a 429.</summary>
    public static StatusMessage For(int status, int? retryAfterSeconds = null) => status switch
    {
        StatusCodes.Status400BadRequest => new(status, "Request not understood",
            "The bank could not read this request. If you were sending a form, go back, reload the page and send it again."),
        StatusCodes.Status403Forbidden => new(status, "Access denied",
            "Your role does not allow you to open that page. If you think it should, ask an administrator."),
        StatusCodes.Status404NotFound => new(status, "Page not found",
            "There is no page at this address. Check the address for typing mistakes, or start again from the home page."),
        StatusCodes.Status429TooManyRequests => new(status, "Too many attempts",
            $"Too many sign-in attempts came from your network. For your security, please wait {Wait(retryAfterSeconds ?? 60)} before you try again."),
        >= 500 => new(status, "Something went wrong",
            "The bank could not complete this request. Nothing was changed. Please try again in a moment."),
        _ => new(status, "Request not completed",
            $"The bank could not answer this request (HTTP status {status.ToString(CultureInfo.InvariantCulture)}). Please start again from the home page."),
    };

    /// <summary>A wait in words: "45 seconds", "1 minute", "2 minutes".</summary>
    public static string Wait(int seconds) => seconds switch
    {
        <= 1 => "1 second",
        < 60 => $"{seconds.ToString(CultureInfo.InvariantCulture)} seconds",
        _ => Math.Ceiling(seconds / 60.0) is var minutes && minutes == 1 ? "1 minute" : $"{minutes.ToString(CultureInfo.InvariantCulture)} minutes",
    };
}

/// <summary>
/// A request for a person's path that matched nothing is a 404 page, signed in or not: the fallback policy (sign in first)
/// would otherwise send a stranger to the sign-in page for a page that does not exist. Everything else is the default.
/// </summary>
public sealed class UnknownPathAuthorization : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc/>
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Succeeded && context.GetEndpoint() is null && StatusPages.ForPeople(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
