using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Operations;

/// <summary>
/// How the site is delivered: error statuses as pages for people and problem details for the API, the favicon, cache
/// lifetimes by version, and compression of what carries no secret only.
/// </summary>
public sealed partial class DeliveryTests(BankApps apps) : IClassFixture<BankApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Unknown_api_paths_keep_problem_details_and_unknown_pages_get_the_404_page(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();

        // The API: problem details, as before (401 before sign-in, 404 after).
        var api = await root.GetAsync("/api/v1/no-such-thing", Ct);
        await api.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        await (await app.CreateClient().GetAsync("/api/v1/no-such-thing", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        // A person's path, signed out: the 404 page, not the sign-in page; a missing static file too, and never cached.
        foreach (var path in new[] { "/no/such/page", "/Users/Nobody/Here", "/css/missing.css?v=abc" })
        {
            var page = await app.CreateClient().GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
            var html = await page.Content.ReadAsStringAsync(Ct);
            Assert.Contains("<title>Page not found · Bank</title>", html, StringComparison.Ordinal);
            Assert.Contains("<h1>Page not found</h1>", html, StringComparison.Ordinal);
        }

        // The machines' paths keep their answers.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/openapi/v1.json", Ct)).StatusCode);
    }

    [Theory, DatabaseData]
    public async Task Every_error_status_of_a_person_s_path_is_a_page_with_that_status(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var client = app.CreateClient();
        var form = new FormUrlEncodedContent([KeyValuePair.Create("UserId", "56125810021"), KeyValuePair.Create("Password", "x")]);

        // A form sent to nowhere is re-executed as a POST and still gets the 404 page.
        await AssertPageAsync(await client.PostAsync("/no/such/form", form, Ct), HttpStatusCode.NotFound, "Page not found");
        // A page's form without its antiforgery token: the framework's empty 400 becomes a page.
        await AssertPageAsync(await client.PostAsync("/Account/SignIn", form, Ct), HttpStatusCode.BadRequest, "Request not understood");
        // The page asked for by its address answers with the status it names.
        await AssertPageAsync(await client.GetAsync("/Status/500", Ct), HttpStatusCode.InternalServerError, "Something went wrong");
        await AssertPageAsync(await client.GetAsync("/Status/403", Ct), HttpStatusCode.Forbidden, "Access denied");
    }

    private static async Task AssertPageAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<html lang=\"en-IN\">", html, StringComparison.Ordinal);
        Assert.Contains($"<title>{title} · Bank</title>", html, StringComparison.Ordinal);
        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<a class=\"button\" href=\"/\">Back to home</a>", html, StringComparison.Ordinal);
    }

    [Theory, DatabaseData]
    public async Task The_favicon_answers_and_every_page_names_it(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var client = app.CreateClient();

        var ico = await client.GetAsync("/favicon.ico", Ct);
        Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType!.MediaType);
        var bytes = await ico.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, bytes[..4]);

        var page = await client.GetStringAsync("/Account/SignIn", Ct);
        var svgHref = IconHref().Match(page);
        Assert.True(svgHref.Success, "The layout links the SVG icon.");
        var svg = await client.GetAsync(svgHref.Groups["href"].Value, Ct);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.ico\"", page, StringComparison.Ordinal);
    }

    [Theory, DatabaseData]
    public async Task Versioned_assets_are_cached_for_a_year_unversioned_ones_briefly_and_pages_never(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var client = app.CreateClient();

        var page = await client.GetAsync("/Account/SignIn", Ct);
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
        var css = StylesheetHref().Match(await page.Content.ReadAsStringAsync(Ct)).Groups["href"].Value;
        Assert.Matches(@"^/css/site\.css\?v=[A-Za-z0-9_-]+$", css);

        var versioned = await client.GetAsync(css, Ct);
        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl!.ToString());
        var unversioned = await client.GetAsync("/css/site.css", Ct);
        Assert.Equal("public, max-age=600", unversioned.Headers.CacheControl!.ToString());

        // The API and the machines' paths stay no-store.
        Assert.Equal("no-store", (await client.GetAsync("/health/live", Ct)).Headers.CacheControl!.ToString());
        Assert.Equal("no-store", (await client.GetAsync("/api/v1/auth/me", Ct)).Headers.CacheControl!.ToString());
    }

    [Theory, DatabaseData]
    public async Task Static_assets_and_the_api_reference_are_compressed_but_pages_and_the_api_are_not(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var client = app.CreateClient();
        var plain = await client.GetStringAsync("/css/site.css", Ct);

        foreach (var encoding in new[] { "br", "gzip" })
        {
            var response = await SendAsync(client, "/css/site.css", encoding);
            Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var compressed = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.True(compressed.Length < plain.Length / 2, $"{encoding}: {compressed.Length} bytes of {plain.Length}");
            Assert.Equal(plain, Decompress(compressed, encoding));

            Assert.Equal(encoding, Assert.Single((await SendAsync(client, "/openapi/v1.json", encoding)).Content.Headers.ContentEncoding));
            Assert.Equal(encoding, Assert.Single((await SendAsync(client, "/scalar/", encoding)).Content.Headers.ContentEncoding));

            // A page carries an antiforgery token and the API a user's data: never compressed (BREACH).
            var page = await SendAsync(client, "/Account/SignIn", encoding);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Empty(page.Content.Headers.ContentEncoding);
            Assert.Contains("__RequestVerificationToken", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            var me = await SendAsync(root, "/api/v1/auth/me", encoding);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Empty(me.Content.Headers.ContentEncoding);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        return await client.SendAsync(request, Ct);
    }

    private static string Decompress(byte[] bytes, string encoding)
    {
        using var input = new MemoryStream(bytes);
        using Stream stream = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("<link rel=\"icon\" href=\"(?<href>/favicon\\.svg\\?v=[^\"]+)\" type=\"image/svg\\+xml\"")]
    private static partial Regex IconHref();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(?<href>[^\"]+)\"")]
    private static partial Regex StylesheetHref();
}
