using Bank.Core;
using Bank.Core.Audit;
using Microsoft.AspNetCore.Antiforgery;

namespace Bank.Web.Infrastructure;

/// <summary>The bank's own middleware, in the order the pipeline runs them.</summary>
public static class Middleware
{
    private static readonly string[] PasswordChangeExempt =
    [
        "/api/v1/auth/change-password", "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/auth/antiforgery",
        "/Account/ChangePassword", "/Account/SignOut", "/Account/AccessDenied", "/Error",
    ];

    /// <summary>Security headers on every response; no caching of anything but static assets.</summary>
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
            if (!IsStaticAsset(path))
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
    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Sign-in acts on no existing authority (and takes JSON only, which a cross-site form cannot send), so it is exempt.
        if (context.Request.IsApi() && !context.Request.Path.StartsWithSegments("/api/v1/auth/login") && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method) && context.User.Identity?.IsAuthenticated == true && context.User.CameWithCookie())
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Problems.WriteAsync(context, FailureTypes.Antiforgery.Because(
                    "This cookie-authenticated request lacks a valid antiforgery token: send it in the X-CSRF-TOKEN header (GET /api/v1/auth/antiforgery)."));
                return;
            }
        }

        await next(context);
    });

    /// <summary>Until a user replaces a one-time password, the API answers 403 and pages lead to the change-password page.</summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.Identity?.IsAuthenticated == true && context.User.MustChangePasswordNow()
            && !AllowedBeforePasswordChange(path) && !IsStaticAsset(path))
        {
            if (context.Request.IsApi())
            {
                context.Items[SkipDenialAudit] = true;
                await Problems.WriteAsync(context, FailureTypes.PasswordChangeRequired.Because(
                    "You must change your one-time password first (POST /api/v1/auth/change-password)."));
                return;
            }

            if (!path.StartsWithSegments("/health") && !path.StartsWithSegments("/openapi"))
            {
                context.Response.Redirect("/Account/ChangePassword");
                return;
            }
        }

        await next(context);
    });

    /// <summary>Whether <paramref name="path"/> is open to a user who still has to replace a one-time password.</summary>
    public static bool AllowedBeforePasswordChange(PathString path) =>
        PasswordChangeExempt.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private const string SkipDenialAudit = "bank:skip-denial-audit";

    /// <summary>Every 403 given to a signed-in user goes to the audit trail (repeated ones coalesced, <see cref="DenialAudit"/>).</summary>
    public static IApplicationBuilder UseDenialAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status403Forbidden || context.Response.Headers.Location.ToString().StartsWith("/Account/AccessDenied", StringComparison.Ordinal))
        {
            if (context.User.Identity?.IsAuthenticated == true && !context.Items.ContainsKey(SkipDenialAudit)
                && !context.Request.Path.StartsWithSegments("/Account/AccessDenied"))
            {
                await context.RequestServices.GetRequiredService<DenialAudit>().RecordAsync(context.ToActor(),
                    $"{context.Request.Method} {context.Request.Path}", context.RequestServices.GetRequiredService<AuditTrail>(), CancellationToken.None);
            }
        }
    });

    private static bool IsStaticAsset(PathString path) =>
        path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/lib") || path.StartsWithSegments("/favicon.ico");
}
