using System.Security.Claims;
using System.Text.Encodings.Web;
using Bank.Core;
using Bank.Core.Auth;
using Bank.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bank.Web.Infrastructure;

/// <summary>
/// One authentication scheme for both doors: the browser's session cookie and the API's bearer token
/// name the same kind of database session, checked on every request.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionService sessions,
    SessionCookie sessionCookie) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "Session";

    /// <inheritdoc/>
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Path.StartsWithSegments(Telemetry.MetricsPath))
        {
            // A scrape's bearer token is the metrics token, not a session: no session is looked up (or kept alive) for it.
            return AuthenticateResult.NoResult();
        }

        string? token;
        var via = BankClaims.ViaCookie;
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization["Bearer ".Length..].Trim();
            via = BankClaims.ViaBearer;
        }
        else
        {
            token = sessionCookie.Of(Context);
        }

        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var session = await sessions.ValidateAsync(token, Context.RequestAborted, activity: !Request.Path.StartsWithSegments("/hubs"));
        if (session is null)
        {
            return AuthenticateResult.Fail("The session has ended or does not exist.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, session.UserId.ToString()),
            new Claim(ClaimTypes.Name, session.UserId.ToString()),
            new Claim(ClaimTypes.Role, session.Role.Name()),
            new Claim(BankClaims.SessionId, session.SessionId),
            new Claim(BankClaims.MustChangePassword, session.MustChangePassword ? "true" : "false"),
            new Claim(BankClaims.TwoFactor, session.TwoFactor?.Name() ?? ""),
            new Claim(BankClaims.Via, via),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.IsApi())
        {
            Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(Context, FailureTypes.Unauthenticated.Because("Sign in first: send a bearer token or the session cookie."));
            return;
        }

        if (sessionCookie.Of(Context) is not null)
        {
            sessionCookie.Clear(Context);
        }

        var returnUrl = Request.PathBase + Request.Path + Request.QueryString;
        Response.Redirect("/Account/SignIn?returnUrl=" + Uri.EscapeDataString(returnUrl));
    }

    /// <inheritdoc/>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Request.IsApi())
        {
            await Problems.WriteAsync(Context, Failure.Forbidden("Your role does not allow this."));
            return;
        }

        Response.Redirect("/Account/AccessDenied");
    }
}

/// <summary>The claims the session scheme issues, and reading them back.</summary>
public static class BankClaims
{
    /// <summary>The session's id (the SHA-256 of its token).</summary>
    public const string SessionId = "bank:sid";

    /// <summary>"true" while the user has a one-time password.</summary>
    public const string MustChangePassword = "bank:must-change-password";

    /// <summary>What the session still has to do about its second factor (a <see cref="TwoFactorStep"/>'s name; empty: nothing).</summary>
    public const string TwoFactor = "bank:two-factor";

    /// <summary>How the session came: <see cref="ViaCookie"/> or <see cref="ViaBearer"/>.</summary>
    public const string Via = "bank:via";

    /// <summary>The browser's session cookie.</summary>
    public const string ViaCookie = "cookie";

    /// <summary>An API bearer token.</summary>
    public const string ViaBearer = "bearer";

    /// <summary>The signed-in user of a request that passed authentication.</summary>
    public static Actor ToActor(this HttpContext context)
    {
        var user = context.User;
        if (!UserId.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) || user.BankRole() is not { } role)
        {
            throw new InvalidOperationException("The request is not signed in.");
        }

        return new Actor(id, role, context.Connection.RemoteIpAddress?.ToString(), user.FindFirstValue(SessionId));
    }

    /// <summary>Where the request came from.</summary>
    public static ClientInfo ToClient(this HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());

    /// <summary>Whether the user still has to replace a one-time password.</summary>
    public static bool MustChangePasswordNow(this ClaimsPrincipal user) => user.FindFirstValue(MustChangePassword) == "true";

    /// <summary>What the session still has to do about its second factor; null when nothing.</summary>
    public static TwoFactorStep? TwoFactorPending(this ClaimsPrincipal user) =>
        EnumText.TryParse<TwoFactorStep>(user.FindFirstValue(TwoFactor), out var step) ? step : null;

    /// <summary>Whether the session came in a cookie (and so needs antiforgery on changes).</summary>
    public static bool CameWithCookie(this ClaimsPrincipal user) => user.FindFirstValue(Via) == ViaCookie;

    /// <summary>The signed-in user's role; null when nobody is signed in.</summary>
    public static Role? BankRole(this ClaimsPrincipal user) =>
        EnumText.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;

    /// <summary>Whether the request is for the API (which answers in JSON, never with pages).</summary>
    public static bool IsApi(this HttpRequest request) => request.Path.StartsWithSegments("/api");
}
