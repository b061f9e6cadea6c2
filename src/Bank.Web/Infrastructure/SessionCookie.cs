using Bank.Core.Auth;

namespace Bank.Web.Infrastructure;

/// <summary>Issues and clears the browser's session cookie; shared by the sign-in page and the API's cookie mode.</summary>
public static class SessionCookie
{
    /// <summary>Ends any session the browser already had (a new id at every sign-in) and sets the new one.</summary>
    public static async Task ReplaceAsync(HttpContext context, SessionService sessions, SignedIn signedIn, CancellationToken ct)
    {
        if (context.Request.Cookies.TryGetValue(SessionAuthenticationHandler.CookieName, out var old) && !string.IsNullOrEmpty(old))
        {
            await sessions.RevokeAsync(SessionService.HashToken(old), "replaced by a new sign-in", ct);
        }

        context.Response.Cookies.Append(SessionAuthenticationHandler.CookieName, signedIn.Token, Options(context));
    }

    /// <summary>Revokes the current session (cookie or bearer) and clears the cookie.</summary>
    public static async Task EndAsync(HttpContext context, SessionService sessions, CancellationToken ct)
    {
        if (context.User.FindFirst(BankClaims.SessionId)?.Value is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, "signed out", ct);
        }

        context.Response.Cookies.Delete(SessionAuthenticationHandler.CookieName, Options(context));
    }

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = !context.RequestServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment() || context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
