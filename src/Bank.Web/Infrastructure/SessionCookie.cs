using Bank.Core.Auth;
using Bank.Web.Hubs;

namespace Bank.Web.Infrastructure;

/// <summary>Issues and clears the browser's session cookie; shared by the sign-in page and the API's cookie mode.</summary>
public static class SessionCookie
{
    /// <summary>
    /// The session cookie outside Development. The <c>__Host-</c> prefix makes a browser take it only when it is Secure, for
    /// the whole site and from this very host: no other subdomain can set, replace or shadow it.
    /// </summary>
    public const string Name = "__Host-bank_session";

    /// <summary>Its name in Development, where the bank may be tried over plain HTTP (a <c>__Host-</c> cookie must be Secure).</summary>
    public const string DevelopmentName = "bank_session";

    /// <summary>The antiforgery cookie outside Development (it holds no credential, but no subdomain may plant one either).</summary>
    public const string AntiforgeryName = "__Host-bank_csrf";

    /// <summary>The antiforgery cookie's name in Development.</summary>
    public const string DevelopmentAntiforgeryName = "bank_csrf";

    /// <summary>The session cookie's name in this environment.</summary>
    public static string NameFor(IHostEnvironment environment) => environment.IsDevelopment() ? DevelopmentName : Name;

    /// <summary>The session cookie's name for this request's app.</summary>
    public static string NameOf(HttpContext context) => NameFor(context.RequestServices.GetRequiredService<IWebHostEnvironment>());

    /// <summary>The session cookie a request carries, if any.</summary>
    public static string? Of(HttpContext context) =>
        context.Request.Cookies.TryGetValue(NameOf(context), out var token) && !string.IsNullOrEmpty(token) ? token : null;

    /// <summary>Ends any session the browser already had (a new id at every sign-in) and sets the new one.</summary>
    public static async Task ReplaceAsync(HttpContext context, SessionService sessions, SignedIn signedIn, CancellationToken ct)
    {
        if (Of(context) is { } old)
        {
            var oldId = SessionService.HashToken(old);
            await sessions.RevokeAsync(oldId, "replaced by a new sign-in", ct);
            await context.RequestServices.GetRequiredService<LiveConnections>().EndedAsync(oldId);
        }

        context.Response.Cookies.Append(NameOf(context), signedIn.Token, Options(context));
    }

    /// <summary>Revokes the current session (cookie or bearer) and clears the cookie.</summary>
    public static async Task EndAsync(HttpContext context, SessionService sessions, CancellationToken ct)
    {
        if (context.User.FindFirst(BankClaims.SessionId)?.Value is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, "signed out", ct);
            await context.RequestServices.GetRequiredService<LiveConnections>().EndedAsync(sessionId);
        }

        Clear(context);
    }

    /// <summary>Tells the browser to drop its session cookie (with the attributes it was set with, or a browser keeps it).</summary>
    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(NameOf(context), Options(context));

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = !context.RequestServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment() || context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
