using Bank.Core.Auth;

namespace Bank.Web.Infrastructure;

/// <summary>
/// Issues, reads and clears the browser's session cookie (a singleton for the app's environment); shared by the sign-in
/// page, the API's cookie mode and the authentication handler. Ending the browser's previous session at a new sign-in is
/// the sign-in's own work (<see cref="SignInService.SignInAsync"/>), not the cookie's.
/// </summary>
public sealed class SessionCookie(IWebHostEnvironment environment)
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

    /// <summary>The session cookie's name in this app's environment.</summary>
    public string CurrentName { get; } = NameFor(environment);

    /// <summary>The session cookie a request carries, if any.</summary>
    public string? Of(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CurrentName, out var token) && !string.IsNullOrEmpty(token) ? token : null;

    /// <summary>Gives the browser the session of a sign-in (which ended the session it had before, if any).</summary>
    public void Set(HttpContext context, SignedIn signedIn) => context.Response.Cookies.Append(CurrentName, signedIn.Token, Options(context));

    /// <summary>Ends the request's session (cookie or bearer) on the server and clears the cookie.</summary>
    public async Task EndAsync(HttpContext context, SessionService sessions, CancellationToken ct)
    {
        if (context.User.FindFirst(BankClaims.SessionId)?.Value is { } sessionId)
        {
            await sessions.EndAsync(sessionId, "signed out", ct);
        }

        Clear(context);
    }

    /// <summary>Tells the browser to drop its session cookie (with the attributes it was set with, or a browser keeps it).</summary>
    public void Clear(HttpContext context) => context.Response.Cookies.Delete(CurrentName, Options(context));

    private CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = !environment.IsDevelopment() || context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
