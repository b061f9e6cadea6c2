using System.Security.Claims;
using Bank.Core;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Bank.Web.Infrastructure;

/// <summary>The bank's own middleware, in the order the pipeline runs them.</summary>
public static class Middleware
{
    /// <summary>What every session may reach while a step of its sign-in is still due.</summary>
    private static readonly string[] AlwaysOpen =
    [
        "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/auth/antiforgery", "/Account/SignOut", "/Account/AccessDenied", "/Error", StatusPages.Path,
    ];

    /// <summary>
    /// The steps that complete a sign-in, in the order they are due: the second factor of a user who has one (before
    /// anything else, since only then is the person known), the replacement of a one-time password, the enrolment of a
    /// required second factor. Each opens its own routes and page.
    /// </summary>
    private static readonly SignInStep[] Steps =
    [
        new(u => u.TwoFactorPending() == TwoFactorStep.Required, ["/api/v1/auth/two-factor", "/Account/TwoFactor"], "/Account/TwoFactor",
            FailureTypes.TwoFactorRequired.Because("Give the code from your authenticator app, or a recovery code, first (POST /api/v1/auth/two-factor).")),
        new(u => u.MustChangePasswordNow(), ["/api/v1/auth/change-password", "/Account/ChangePassword"], "/Account/ChangePassword",
            FailureTypes.PasswordChangeRequired.Because("You must change your one-time password first (POST /api/v1/auth/change-password).")),
        new(u => u.TwoFactorPending() == TwoFactorStep.Enrol, ["/api/v1/auth/two-factor", "/Account/TwoFactorEnrol"], "/Account/TwoFactorEnrol",
            FailureTypes.TwoFactorRequired.Because(
                "Your role requires a second factor: enrol one first (POST /api/v1/auth/two-factor/enrol, then /api/v1/auth/two-factor/confirm).")),
    ];

    /// <summary>Security headers on every response; no caching of anything but the static files served (<see cref="Delivery"/>).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            var path = context.Request.Path;
            // The API reference page (Scalar) needs inline script; nothing of ours does.
            headers.ContentSecurityPolicy = path.StartsWithSegments("/scalar")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
                : "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (!Delivery.IsServedStaticFile(context))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>
    /// The live hubs answer only pages of this site: a browser always names the page's origin on a WebSocket upgrade (and
    /// on the negotiate call), and another site's page could otherwise open a connection with the user's cookie. Clients
    /// that are not browsers send no Origin and authenticate with a bearer token.
    /// </summary>
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (context.Request.Path.StartsWithSegments("/hubs") && origin.Length > 0 && !SameOrigin(origin, context.Request))
        {
            await Problems.WriteAsync(context, Failure.Forbidden("The live connection is open only to pages of this site (Origin does not match)."));
            return;
        }

        await next(context);
    });

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.Equals(uri.IsDefaultPort ? uri.Host : uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Cookie-authenticated API calls that change state must carry the antiforgery token (header X-CSRF-TOKEN);
    /// bearer-token calls cannot be forged by another site and need none. Razor Pages check their forms themselves.
    /// </summary>
    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app)
    {
        var antiforgery = app.ApplicationServices.GetRequiredService<IAntiforgery>();
        return app.Use(async (context, next) =>
        {
            // Sign-in acts on no existing authority (and takes JSON only, which a cross-site form cannot send), so it is exempt.
            if (context.Request.IsApi() && !context.Request.Path.StartsWithSegments("/api/v1/auth/login") && !HttpMethods.IsGet(context.Request.Method)
                && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
                && context.User.Identity?.IsAuthenticated == true && context.User.CameWithCookie()
                && !await antiforgery.IsRequestValidAsync(context))
            {
                await Problems.WriteAsync(context, FailureTypes.Antiforgery.Because(
                    "This cookie-authenticated request lacks a valid antiforgery token: send it in the X-CSRF-TOKEN header (GET /api/v1/auth/antiforgery)."));
                return;
            }

            await next(context);
        });
    }

    /// <summary>
    /// Until a sign-in is complete (second factor given, one-time password replaced, required second factor enrolled),
    /// the API answers 403 saying which step is due and pages lead to that step's page.
    /// </summary>
    public static IApplicationBuilder UseSignInGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.Identity?.IsAuthenticated == true && Steps.FirstOrDefault(s => s.Due(context.User)) is { } step
            && !Opens(step, path) && !Delivery.IsStaticAsset(path))
        {
            if (context.Request.IsApi())
            {
                context.Items[SkipDenialAudit] = true;
                await Problems.WriteAsync(context, step.Refusal);
                return;
            }

            if (!path.StartsWithSegments("/health") && !path.StartsWithSegments("/openapi") && !path.StartsWithSegments(Telemetry.MetricsPath))
            {
                context.Response.Redirect(step.Page);
                return;
            }
        }

        await next(context);
    });

    /// <summary>The refusals the sign-in gate can give a request for <paramref name="path"/> (the API contract lists them).</summary>
    public static IEnumerable<FailureType> GateRefusals(PathString path) =>
        Steps.Where(s => !Opens(s, path)).Select(s => s.Refusal.Type).Distinct();

    private static bool Opens(SignInStep step, PathString path) =>
        AlwaysOpen.Concat(step.Open).Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private const string SkipDenialAudit = "bank:skip-denial-audit";

    /// <summary>Every 403 given to a signed-in user goes to the audit trail (repeated ones coalesced, <see cref="DenialAudit"/>).</summary>
    public static IApplicationBuilder UseDenialAudit(this IApplicationBuilder app) => app.UseMiddleware<DenialAuditMiddleware>();

    /// <summary>Marks a request whose 403 is not a denial to audit (the sign-in gate's refusal of a step still due).</summary>
    internal static bool SkipsDenialAudit(HttpContext context) => context.Items.ContainsKey(SkipDenialAudit);

    /// <summary>A step of the sign-in: when it is due, what it opens, its page and the API's refusal meanwhile.</summary>
    private sealed record SignInStep(Func<ClaimsPrincipal, bool> Due, string[] Open, string Page, Failure Refusal);
}

/// <summary>
/// Sends every 403 given to a signed-in user to the audit trail (repeated ones coalesced, <see cref="DenialAudit"/>); the
/// request's own <see cref="AuditTrail"/> is handed to it per request.
/// </summary>
public sealed class DenialAuditMiddleware(RequestDelegate next, DenialAudit denials)
{
    /// <summary>Runs the request, then audits its denial, if it was one.</summary>
    public async Task InvokeAsync(HttpContext context, AuditTrail audit)
    {
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status403Forbidden || context.Response.Headers.Location.ToString().StartsWith("/Account/AccessDenied", StringComparison.Ordinal))
        {
            // The page that shows a 403 (AccessDenied, or the status page re-executed for it) is not a second denial.
            if (context.User.Identity?.IsAuthenticated == true && !Middleware.SkipsDenialAudit(context)
                && !context.Request.Path.StartsWithSegments("/Account/AccessDenied")
                && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)
            {
                await denials.RecordAsync(context.ToActor(), $"{context.Request.Method} {context.Request.Path}", audit, CancellationToken.None);
            }
        }
    }
}
