using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Bank.Bench;

public sealed record Login(string UserId, string Role, bool MustChangePassword, string AccessToken);

public sealed record CreatedCustomer(string UserId, string TemporaryPassword, string? AccountNumber);

/// <summary>A customer ready for the load: signed in with its own password, holding a bearer token.</summary>
public sealed record Customer(string UserId, string AccountNumber, string Token);

/// <summary>Who sends a request: a bearer token (the API) or a session cookie (the pages).</summary>
public sealed record Caller(string? Token, string? Cookie)
{
    public static Caller Api(string token) => new(token, null);

    public static Caller Pages(string cookie) => new(null, cookie);
}

/// <summary>The bank's public REST API, as a client sees it: JSON in camelCase, bearer tokens, status codes checked.</summary>
public sealed class BankClient(HttpClient http)
{
    public const string SuperAdminId = "56125810021";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Login> LoginAsync(string userId, string password, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Post, "/api/v1/auth/login", null, new { userId, password }, HttpStatusCode.OK, ct);
        var login = JsonSerializer.Deserialize<Login>(body, Json);
        return login is { AccessToken.Length: > 0 } ? login : throw new BenchException($"The login of {userId} returned no access token: {body}");
    }

    public Task ChangePasswordAsync(string token, string currentPassword, string newPassword, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/api/v1/auth/change-password", token, new { currentPassword, newPassword }, HttpStatusCode.NoContent, ct);

    /// <summary>Signs in with a one-time password, replaces it, and signs in again with the new one.</summary>
    public async Task<Login> FirstLoginAsync(string userId, string oneTimePassword, string newPassword, CancellationToken ct)
    {
        var first = await LoginAsync(userId, oneTimePassword, ct);
        await ChangePasswordAsync(first.AccessToken, oneTimePassword, newPassword, ct);
        var again = await LoginAsync(userId, newPassword, ct);
        return again.MustChangePassword
            ? throw new BenchException($"{userId} still must change its password after POST /api/v1/auth/change-password.")
            : again;
    }

    public async Task<CreatedCustomer> CreateCustomerAsync(string adminToken, int n, CancellationToken ct)
    {
        var request = new
        {
            firstName = "Bench",
            lastName = "User",
            email = $"bench{n}@example.com",
            dateOfBirth = "1990-01-01",
            phoneNumbers = new[] { $"98{n:D8}" },
            gender = "Male",
            address = new { street = "1 MG Road", city = "Pune", state = "Maharashtra" },
            role = "Customer",
        };
        var body = await SendAsync(HttpMethod.Post, "/api/v1/users", adminToken, request, HttpStatusCode.Created, ct);
        return JsonSerializer.Deserialize<CreatedCustomer>(body, Json) ?? throw new BenchException($"POST /api/v1/users returned {body}");
    }

    /// <summary>A credit to the customer's own account; returns balanceAfter.</summary>
    public async Task<decimal> DepositAsync(string token, decimal amount, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Post, "/api/v1/transactions", token, new { type = "credit", amount }, HttpStatusCode.Created, ct,
            idempotencyKey: Guid.NewGuid());
        return ReadDecimal(body, "balanceAfter");
    }

    /// <summary>
    /// One request of a load, as fast as possible: a bearer token, an optional JSON body (with a fresh Idempotency-Key
    /// when <paramref name="idempotent"/>), no exception for an error status: success is a 2xx answer.
    /// </summary>
    public async Task<OpOutcome> TryAsync(HttpMethod method, string path, string token, string? json, bool idempotent, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotent)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        try
        {
            using var response = await http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                await response.Content.LoadIntoBufferAsync(ct);
                return OpOutcome.Success;
            }

            return OpOutcome.Failed((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return OpOutcome.Failed(0, $"no response: {ex.Message}");
        }
    }

    /// <summary>The User IDs of up to <paramref name="count"/> Active customers, page by page.</summary>
    public async Task<List<string>> ActiveCustomersAsync(string token, int count, CancellationToken ct)
    {
        var ids = new List<string>(count);
        string? cursor = null;
        while (ids.Count < count)
        {
            var path = $"/api/v1/users?role=Customer&status=Active&limit={Math.Min(200, count - ids.Count)}"
                + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var doc = JsonDocument.Parse(await GetJsonAsync(path, token, ct));
            ids.AddRange(doc.RootElement.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userId").GetString()!));
            cursor = doc.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (cursor is null)
            {
                break;
            }
        }

        return ids;
    }

    /// <summary>The customer's own account number and its status (GET /api/v1/accounts/me).</summary>
    public async Task<(string Number, string Status)> AccountAsync(string token, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await GetJsonAsync("/api/v1/accounts/me", token, ct));
        return (doc.RootElement.GetProperty("accountNumber").GetString() ?? throw new BenchException("GET /api/v1/accounts/me returned no accountNumber."),
            doc.RootElement.GetProperty("status").GetString() ?? "");
    }

    public async Task<decimal> BalanceAsync(string token, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Get, "/api/v1/accounts/me", token, null, HttpStatusCode.OK, ct);
        return ReadDecimal(body, "balance");
    }

    /// <summary>GET /api/v1/ledger/verify: whether it said "ok": true, and its body.</summary>
    public async Task<(bool Ok, string Body)> VerifyLedgerAsync(string token, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Get, "/api/v1/ledger/verify", token, null, HttpStatusCode.OK, ct);
        using var doc = JsonDocument.Parse(body);
        var ok = doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty("ok", out var value) && value.ValueKind == JsonValueKind.True;
        return (ok, body);
    }

    /// <summary>GET of a JSON resource with a bearer token; the body, or a <see cref="BenchException"/> for any status but 200.</summary>
    public Task<string> GetJsonAsync(string path, string token, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, token, null, HttpStatusCode.OK, ct);

    /// <summary>POST /api/v1/users/{userId}/reset-password: the new one-time password.</summary>
    public async Task<string> ResetPasswordAsync(string adminToken, string userId, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Post, $"/api/v1/users/{userId}/reset-password", adminToken, new { }, HttpStatusCode.OK, ct);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("temporaryPassword", out var value) && value.GetString() is { Length: > 0 } password
            ? password
            : throw new BenchException($"POST /api/v1/users/{userId}/reset-password returned no temporaryPassword: {Shorten(body)}");
    }

    /// <summary>
    /// Signs in for the pages (POST /api/v1/auth/login?useCookies=true) and returns the session cookie as a Cookie header
    /// value. The cookie is Secure, which a cookie container would not send over http://127.0.0.1; the bench sends it itself.
    /// </summary>
    public async Task<string> CookieLoginAsync(string userId, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { userId, password }, Json, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchException($"The cookie sign-in of {userId} answered {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync(ct))}");
        }

        var session = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("__Host-bank_session=", StringComparison.Ordinal) || c.StartsWith("bank_session=", StringComparison.Ordinal))
            : null;
        return session ?? throw new BenchException($"The cookie sign-in of {userId} set no bank_session cookie.");
    }

    /// <summary>One timed GET as <paramref name="caller"/>: the time to the last byte and the size; any status but 200 fails the run.</summary>
    public async Task<(TimeSpan Elapsed, long Bytes)> TimedGetAsync(string path, Caller caller, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (caller.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (caller.Cookie is { } cookie)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var elapsed = clock.Elapsed;
        return response.StatusCode == HttpStatusCode.OK
            ? (elapsed, body.LongLength)
            : throw new BenchException($"GET {path} answered {(int)response.StatusCode}: {Shorten(Encoding.UTF8.GetString(body))}", status: (int)response.StatusCode);
    }

    private async Task<string> SendAsync(
        HttpMethod method, string path, string? token, object? payload, HttpStatusCode expected, CancellationToken ct, Guid? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (payload is not null)
        {
            request.Content = JsonContent.Create(payload, options: Json);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is { } key)
        {
            request.Headers.Add("Idempotency-Key", key.ToString());
        }

        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == expected)
        {
            return body;
        }

        var hint = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
            ? $" — the endpoint {method} {path} does not exist on this server (not implemented yet?)"
            : "";
        throw new BenchException($"{method} {path} answered {(int)response.StatusCode} {response.StatusCode}, expected {(int)expected}{hint}. Body: {Shorten(body)}",
            status: (int)response.StatusCode);
    }

    private static decimal ReadDecimal(string body, string property)
    {
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(property, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            {
                return number;
            }

            if (value.ValueKind == JsonValueKind.String
                && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var text))
            {
                return text;
            }
        }

        throw new BenchException($"The response has no decimal \"{property}\": {Shorten(body)}");
    }

    public static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
