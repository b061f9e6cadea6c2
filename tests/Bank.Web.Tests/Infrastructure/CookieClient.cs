using System.Net;
using System.Net.Http.Json;

namespace Bank.Web.Tests.Infrastructure;

/// <summary>A client that keeps cookies, like a browser.</summary>
public sealed class CookieClient
{
    private readonly CookieContainer _cookies = new();

    public CookieClient(BankApp app)
    {
        Client = app.CreateDefaultClient(app.ClientOptions.BaseAddress, new CookieHandler(_cookies));
    }

    public HttpClient Client { get; }

    /// <summary>Signs in as a browser does (POST /api/v1/auth/login?useCookies=true), asserts 200 and returns the answer.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string userId, string password)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { userId, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Cookie sign-in of {userId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public string? SessionCookie() => _cookies.GetCookies(new Uri("https://localhost/"))[Web.Infrastructure.SessionCookie.Name]?.Value;

    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                foreach (var value in values)
                {
                    cookies.SetCookies(request.RequestUri!, value);
                }
            }

            return response;
        }
    }
}
