using Microsoft.AspNetCore.StaticFiles;

namespace Bank.Web.Infrastructure;

/// <summary>
/// How files reach the browser: static files with cache lifetimes by version, and compression of what carries no secret.
/// </summary>
public static class Delivery
{
    /// <summary>A static file asked for with the <c>v=</c> that <c>asp-append-version</c> adds: its content never changes at that address.</summary>
    public const string VersionedCacheControl = "public, max-age=31536000, immutable";

    /// <summary>A static file asked for without a version (the favicon, a bookmarked script): a short lifetime, so a release shows soon.</summary>
    public const string UnversionedCacheControl = "public, max-age=600";

    private const string ServedStaticFile = "bank:static-file";

    /// <summary>
    /// Whether a response may be compressed: static assets, the API reference page and the OpenAPI document, which are the
    /// same for everyone. Pages and the API are not: they carry antiforgery tokens, access tokens and a customer's data next to
    /// text an attacker can choose (a search, a narration), which is what BREACH needs to read a secret from sizes over HTTPS.
    /// </summary>
    public static bool Compressible(PathString path) =>
        IsStaticAsset(path) || path.StartsWithSegments("/scalar") || path.StartsWithSegments("/openapi");

    /// <summary>The folders and files of <c>wwwroot</c>.</summary>
    public static bool IsStaticAsset(PathString path) =>
        path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/lib")
        || path.StartsWithSegments("/favicon.ico") || path.StartsWithSegments("/favicon.svg");

    /// <summary>Whether this response is a file the static files middleware served (it carries its own Cache-Control).</summary>
    public static bool IsServedStaticFile(HttpContext context) => context.Items.ContainsKey(ServedStaticFile);

    /// <summary>Compression where <see cref="Compressible"/> allows it, then the static files with their cache lifetimes.</summary>
    public static IApplicationBuilder UseBankStaticFiles(this IApplicationBuilder app)
    {
        app.UseWhen(c => Compressible(c.Request.Path), compressed => compressed.UseResponseCompression());
        return app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = CacheLifetime });
    }

    /// <summary>Sets the lifetime of a file being served (200, 304 or a range): a year for a versioned address, ten minutes otherwise.</summary>
    private static void CacheLifetime(StaticFileResponseContext file)
    {
        var context = file.Context;
        context.Items[ServedStaticFile] = true;
        context.Response.Headers.CacheControl = context.Request.Query.ContainsKey("v") ? VersionedCacheControl : UnversionedCacheControl;
    }
}
