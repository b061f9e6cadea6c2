using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Bank.Web.Tests.Infrastructure;

/// <summary>The second factor through the API, for tests: codes computed from the app's fake clock, sign-in, enrolment.</summary>
public static class TwoFactorSteps
{
    /// <summary>The code an authenticator app shows now (by the app's clock).</summary>
    public static string Code(FakeTimeProvider clock, string secret) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(clock.GetUtcNow().UtcDateTime);

    /// <summary>A six-digit code that is not right in any window that is accepted now.</summary>
    public static string OtherCode(FakeTimeProvider clock, string secret)
    {
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var now = clock.GetUtcNow().UtcDateTime;
        var accepted = new[] { -30, 0, 30 }.Select(s => totp.ComputeTotp(now.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => i.ToString("D6", CultureInfo.InvariantCulture)).First(c => !accepted.Contains(c));
    }

    /// <summary>Signs in by password with a bearer token; the answer's body and a client that carries the token.</summary>
    public static async Task<(HttpClient Client, JsonObject Login)> LoginAsync(BankApp app, string userId, string password)
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userId, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var login = await response.JsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login["accessToken"]!.GetValue<string>());
        return (client, login);
    }

    /// <summary>A sign-in completed with the code of the current window.</summary>
    public static async Task<HttpClient> CompleteAsync(BankApp app, FakeTimeProvider clock, string userId, string password, string secret)
    {
        var (client, _) = await LoginAsync(app, userId, password);
        var done = await client.PostAsJsonAsync("/api/v1/auth/two-factor", new { code = Code(clock, secret) });
        Assert.True(done.StatusCode == HttpStatusCode.OK, await done.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>Enrols the signed-in client (its session then complete): the secret and the recovery codes.</summary>
    public static async Task<(string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(FakeTimeProvider clock, HttpClient client)
    {
        var enrol = await client.PostAsync("/api/v1/auth/two-factor/enrol", null);
        Assert.True(enrol.StatusCode == HttpStatusCode.OK, await enrol.Content.ReadAsStringAsync());
        var secret = (await enrol.JsonAsync())["secret"]!.GetValue<string>();
        var confirm = await client.PostAsJsonAsync("/api/v1/auth/two-factor/confirm", new { code = Code(clock, secret) });
        Assert.True(confirm.StatusCode == HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        return (secret, [.. (await confirm.JsonAsync())["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>())]);
    }
}
