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
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";
    public const string CookieName = "bank_session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var via = BankClaims.ViaCookie;
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization["Bearer ".Length..].Trim();
            via = BankClaims.ViaBearer;
        }
        else if (Request.Cookies.TryGetValue(CookieName, out var cookie))
        {
            token = cookie;
        }

        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var session = await Context.RequestServices.GetRequiredService<SessionService>().ValidateAsync(token, Context.RequestAborted);
        if (session is null)
        {
            return AuthenticateResult.Fail("The session has ended or does not exist.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, session.UserIdText),
            new Claim(ClaimTypes.Name, session.UserIdText),
            new Claim(ClaimTypes.Role, session.Role.Name()),
            new Claim(BankClaims.SessionId, session.SessionId),
            new Claim(BankClaims.MustChangePassword, session.MustChangePassword ? "true" : "false"),
            new Claim(BankClaims.Via, via),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.IsApi())
        {
            Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(Context, new Failure("unauthenticated", "Sign in first: send a bearer token or the session cookie."), StatusCodes.Status401Unauthorized);
            return;
        }

        if (Request.Cookies.ContainsKey(CookieName))
        {
            Response.Cookies.Delete(CookieName);
        }

        var returnUrl = Request.PathBase + Request.Path + Request.QueryString;
        Response.Redirect("/Account/SignIn?returnUrl=" + Uri.EscapeDataString(returnUrl));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Request.IsApi())
        {
            await Problems.WriteAsync(Context, Failure.Forbidden("Your role does not allow this."), StatusCodes.Status403Forbidden);
            return;
        }

        Response.Redirect("/Account/AccessDenied");
    }
}

/// <summary>The claims the session scheme issues, and reading them back.</summary>
public static class BankClaims
{
    public const string SessionId = "bank:sid";
    public const string MustChangePassword = "bank:must-change-password";
    public const string Via = "bank:via";
    public const string ViaCookie = "cookie";
    public const string ViaBearer = "bearer";

    public static Actor ToActor(this HttpContext context)
    {
        var user = context.User;
        var id = UserService.ParseUserId(user.FindFirstValue(ClaimTypes.NameIdentifier))
            ?? throw new InvalidOperationException("The request is not signed in.");
        Roles.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role);
        return new Actor(id, role, context.Connection.RemoteIpAddress?.ToString(), user.FindFirstValue(SessionId));
    }

    public static ClientInfo ToClient(this HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());

    public static bool MustChangePasswordNow(this ClaimsPrincipal user) => user.FindFirstValue(MustChangePassword) == "true";

    public static bool CameWithCookie(this ClaimsPrincipal user) => user.FindFirstValue(Via) == ViaCookie;

    public static string? RoleName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role);

    public static bool IsApi(this HttpRequest request) => request.Path.StartsWithSegments("/api");
}
