using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using CsCheck;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Bank.Web.Tests.Security;

/// <summary>
/// Schema-driven fuzzing: every operation of the OpenAPI document gets generated requests (valid values, boundaries and
/// malformed ones for each path, query, header and body member; broken, empty, duplicate and unknown JSON) as each role.
/// Nothing may answer 5xx, every 4xx is problem details with its status, every status is one the document lists for the
/// operation, and the ledger verifies afterwards.
/// </summary>
public sealed class ApiFuzzTests(BankApps apps) : IClassFixture<BankApps>
{
    /// <summary>Generated requests per operation and role (tuned so that a database's run stays near a minute here).</summary>
    private const int RequestsPerOperation = 60;

    private static readonly string[] Roles = ["anonymous", "Customer", "Employee", "Admin", "Super_Admin"];

    /// <summary>Operations that end or endanger the caller's session: they run as a second user of the role, signed in again when needed.</summary>
    private static readonly string[] SessionEnding = ["postAuthLogout", "postAuthChangePassword"];

    [Theory, DatabaseData]
    public async Task Generated_requests_to_every_operation_as_every_role_get_no_5xx_only_documented_statuses_and_problem_details(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var superAdmin = await app.SuperAdminAsync();
        var document = JsonNode.Parse(await superAdmin.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var operations = Operation.All(document);
        var world = await World.CreateAsync(app, superAdmin);

        var clock = Stopwatch.StartNew();
        var findings = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var movementStatuses = new ConcurrentDictionary<int, int>();
        // The roles run side by side (as real clients do); within a role, one request at a time.
        await Task.WhenAll(Roles.Select(role => Task.Run(async () =>
        {
            foreach (var operation in operations)
            {
                var requests = Requests(operation, world, role).Array[RequestsPerOperation].Single();
                foreach (var request in requests)
                {
                    var caller = await world.CallerAsync(role, SessionEnding.Contains(operation.Id));
                    var response = await caller.SendAsync(request.ToMessage());
                    var text = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (role == "Customer" && operation.Id == "postTransactions")
                    {
                        movementStatuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    }

                    if (Finding(operation, response, text) is { } finding)
                    {
                        findings.Enqueue($"{role} {request}: {status} {finding} {Shorten(text)}");
                    }

                    world.Observe(role, operation.Id, request, status);
                }
            }
        })));
        clock.Stop();

        // After the storm the bank still works: the customer moves money (it is in the books the ledger check reads next).
        var customer = await world.CallerAsync("Customer", false);
        var deposit = await customer.PostAsJsonAsync("/api/v1/transactions", new { type = "credit", amount = 1.25m });
        Assert.True(deposit.StatusCode == HttpStatusCode.Created, await deposit.Content.ReadAsStringAsync());
        var ledger = await (await superAdmin.GetAsync("/api/v1/ledger/verify")).JsonAsync();
        var total = statuses.Values.Sum();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{provider}: {operations.Count} operations × {Roles.Length} roles × {RequestsPerOperation} requests = {total} requests in {clock.Elapsed.TotalSeconds:0.0} s");
        output?.WriteLine("By status class: " + string.Join(", ", statuses.GroupBy(s => s.Key / 100).OrderBy(g => g.Key).Select(g => $"{g.Key}xx: {g.Sum(s => s.Value)}")));
        output?.WriteLine("By status: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        output?.WriteLine($"Findings: {findings.Count}");
        foreach (var finding in findings.Take(30))
        {
            output?.WriteLine("  " + finding);
        }

        Assert.Equal(operations.Count * Roles.Length * RequestsPerOperation, total);
        Assert.True(findings.IsEmpty, $"{findings.Count} findings, the first: {string.Join(Environment.NewLine, findings.Take(10))}");
        Assert.DoesNotContain(statuses.Keys, s => s >= 500);
        Assert.True(ledger["ok"]!.GetValue<bool>(), ledger.ToJsonString());
        // The generated requests reached past the door (how many of the random movement bodies are valid is luck: a
        // handful in 60, so the test does not count on them), and the books hold the deposit made after them.
        output?.WriteLine("Customer's movements: " + string.Join(", ", movementStatuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.Contains(statuses.Keys, s => s is 200 or 201 or 204);
        Assert.True(ledger["transactions"]!.GetValue<int>() >= 2, ledger.ToJsonString());
    }

    /// <summary>What is wrong with an answer, or null.</summary>
    private static string? Finding(Operation operation, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "a server error";
        }

        if (!operation.Statuses.Contains(status))
        {
            return $"a status the document does not list for {operation.Id} ({string.Join(", ", operation.Statuses)})";
        }

        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"not problem details ({response.Content.Headers.ContentType})";
            }

            try
            {
                if (JsonNode.Parse(text) is not JsonObject problem || problem["status"]?.GetValue<int>() != status || problem["title"] is null)
                {
                    return "a problem without its status or title";
                }
            }
            catch (JsonException)
            {
                return "a problem that is not JSON";
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>Requests for one operation: each parameter and body member valid, at a boundary, malformed or missing.</summary>
    private static Gen<FuzzRequest> Requests(Operation operation, World world, string role)
    {
        var path = Gen.Const(operation.Path);
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            // An empty segment would be another route (a list, or no route at all), not this operation; a NUL in a path
            // never reaches the app (the server refuses the request line, as the test host does).
            path = path.SelectMany(p => ParameterValue(parameter.Name, parameter.Schema, world, role).Select(v => v?.Replace("\0", "", StringComparison.Ordinal)).Select(v =>
                p.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(string.IsNullOrEmpty(v) ? " " : v), StringComparison.Ordinal)));
        }

        var query = Gen.Const("");
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
        {
            query = query.SelectMany(q => Gen.Frequency(
                (2, Gen.Const(q)),
                (5, ParameterValue(parameter.Name, parameter.Schema, world, role).Select(v => q + $"&{parameter.Name}={Uri.EscapeDataString(v ?? "")}")),
                (1, ParameterValue(parameter.Name, parameter.Schema, world, role).Select(v => q + $"&{parameter.Name}=1&{parameter.Name}={Uri.EscapeDataString(v ?? "")}"))));
        }

        var headers = Gen.Const(new List<(string, string)>());
        foreach (var parameter in operation.Parameters.Where(p => p.In == "header"))
        {
            headers = headers.SelectMany(h => Gen.Frequency(
                (1, Gen.Const(h)),
                (3, HeaderValue.Select(v => new List<(string, string)>(h) { (parameter.Name, v) }))));
        }

        var body = operation.Body is { } schema ? Body(schema, operation.Document, world, role) : Gen.Const<(string?, string?)>((null, null));
        return Gen.Select(path, query, headers, body, (p, q, h, b) =>
            new FuzzRequest(operation.Method, p + (q.Length > 0 ? "?" + q[1..] : ""), h, b.Item1, b.Item2));
    }

    /// <summary>Header values: a good key, boundaries (1 and 255 characters, 256), spaces and control-free junk.</summary>
    private static readonly Gen<string> HeaderValue = Gen.OneOf(
        Gen.Const(() => Guid.NewGuid().ToString()),
        Gen.Const("k"),
        Gen.Const(new string('k', 255)),
        Gen.Const(new string('k', 256)),
        Gen.Const(""),
        Gen.Const("a b"),
        Gen.Const("fixed-key-1"),
        Gen.String[Gen.Char['!', '~'], 1, 40]);

    /// <summary>
    /// A JSON body and its content type: an object of valid members (some left out), or one member at a boundary, of the
    /// wrong type or missing, or the whole body broken in one of the ways clients break bodies.
    /// </summary>
    private static Gen<(string?, string?)> Body(JsonObject schema, JsonObject document, World world, string role)
    {
        var members = Members(schema, document, world, role);
        var mutated = members.Count == 0 ? Gen.Const(new List<string>()) : Gen.Int[0, members.Count - 1].SelectMany(i => Gen.Frequency(
            (3, Value(members[i].Name, members[i].Schema, world, role, edge: true).Select(v => Json(v, members[i].Schema, members[i].Name))),
            (3, MalformedJson),
            (1, Gen.Const((string?)null))).SelectMany(bad => ValidMembers(members, document, world, role, leaveOut: 0).Select(m =>
            {
                var list = new List<string>(m.Where(x => !x.StartsWith($"\"{members[i].Name}\":", StringComparison.Ordinal)));
                if (bad is not null)
                {
                    list.Add($"\"{members[i].Name}\":{bad}");
                }

                return list;
            })));
        var good = ValidMembers(members, document, world, role, leaveOut: 20).Select(Object);
        var bad = mutated.Select(Object);
        return Gen.Frequency(
            (8, good.Select(j => ((string?)j, (string?)"application/json"))),
            (6, bad.Select(j => ((string?)j, (string?)"application/json"))),
            (1, good.Select(j => ((string?)Unknown(j), (string?)"application/json"))),
            (1, good.Select(j => ((string?)Duplicate(j), (string?)"application/json"))),
            (1, good.Select(j => ((string?)j[..(j.Length / 2)], (string?)"application/json"))),
            (1, Gen.OneOf("", "null", "[]", "\"text\"", "1", "{", "{\"a\":}").Select(j => ((string?)j, (string?)"application/json"))),
            (1, good.Select(j => ((string?)j, (string?)"text/plain"))),
            (1, Gen.Const(((string?)null, (string?)null))));
    }

    private static string Object(List<string> members) => "{" + string.Join(",", members) + "}";

    private static string Unknown(string json) => json.Length > 2 ? "{\"bogus\":1," + json[1..] : "{\"bogus\":1}";

    private static string Duplicate(string json) =>
        JsonNode.Parse(json) is JsonObject { Count: > 0 } o ? "{" + $"\"{o.First().Key}\":{o.First().Value?.ToJsonString() ?? "null"}," + json[1..] : json;

    private sealed record Member(string Name, JsonObject Schema);

    private static List<Member> Members(JsonObject schema, JsonObject document, World world, string role) =>
        Resolve(schema, document)["properties"] is JsonObject properties
            ? [.. properties.Select(p => new Member(p.Key, Resolve(p.Value!.AsObject(), document)))]
            : [];

    /// <summary>Every member with a valid value, each left out <paramref name="leaveOut"/>% of the time.</summary>
    private static Gen<List<string>> ValidMembers(List<Member> members, JsonObject document, World world, string role, int leaveOut)
    {
        var all = Gen.Const(new List<string>());
        foreach (var member in members)
        {
            var value = ValidJson(member, document, world, role);
            all = all.SelectMany(m => Gen.Frequency(
                (100 - leaveOut, value.Select(v => new List<string>(m) { $"\"{member.Name}\":{v}" })),
                (Math.Max(leaveOut, 0), Gen.Const(m))));
        }

        return all;
    }

    /// <summary>A valid JSON value for a member: an object of valid members, an array of valid items, or a valid scalar.</summary>
    private static Gen<string> ValidJson(Member member, JsonObject document, World world, string role)
    {
        if (Members(member.Schema, document, world, role) is { Count: > 0 } nested)
        {
            return ValidMembers(nested, document, world, role, leaveOut: 0).Select(Object);
        }

        if (Types(member.Schema).Contains("array"))
        {
            var item = new Member(member.Name, member.Schema["items"] is JsonObject items ? Resolve(items, document) : []);
            return ValidJson(item, document, world, role).Array[1, 2].Select(a => "[" + string.Join(",", a) + "]");
        }

        return Value(member.Name, member.Schema, world, role, edge: false).Select(v => Json(v, member.Schema, member.Name));
    }

    /// <summary>A value as JSON: numbers and booleans bare when the schema says so, everything else a JSON string.</summary>
    private static string Json(string? value, JsonObject schema, string name = "") =>
        value is null ? "null"
        : (Types(schema).Overlaps(["integer", "number", "boolean"]) || name == "amount") && IsJsonScalar(value) ? value
        : JsonSerializer.Serialize(value);

    private static bool IsJsonScalar(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonValue;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Values of the wrong type, too big, too long, nested where a scalar belongs.</summary>
    private static readonly Gen<string?> MalformedJson = Gen.OneOf<string?>(
        "null", "true", "0", "-1", "1e400", "-1e400", "123456789012345678901234567890", "0.000000001", "[]", "{}", "[1]", "{\"a\":1}",
        "\"\"", "\" \"", JsonSerializer.Serialize(new string('x', 10_000)), "\"\\u0000\"", "\"ज़\"", "\"'; DROP TABLE users; --\"", "\"10\"");

    /// <summary>
    /// A value (as text; null for JSON null) for a named parameter or member: valid ones from the world (real users,
    /// accounts, transactions), or with <paramref name="edge"/> boundaries and junk.
    /// </summary>
    private static Gen<string?> Value(string name, JsonObject schema, World world, string role, bool edge)
    {
        var (valid, boundary) = Pools(name, schema, world, role);
        return edge
            ? Gen.Frequency((3, boundary), (2, Junk))
            : valid;
    }

    /// <summary>A parameter's value: mostly valid, sometimes at a boundary or junk.</summary>
    private static Gen<string?> ParameterValue(string name, JsonObject schema, World world, string role) =>
        Gen.Frequency((3, Value(name, schema, world, role, edge: false)), (2, Value(name, schema, world, role, edge: true)));

    private static readonly Gen<string?> Junk = Gen.OneOf<string?>("", " ", "x", "-1", "0", "null", "ज़", "%00", "../../etc/passwd", "' OR 1=1 --",
        new string('9', 40), new string('a', 300), "2026-13-45", "0001-01-01", "9999-12-31T23:59:59Z", "\0", "a\0b", "😀",
        "a" + string.Concat(Enumerable.Repeat("😀", 600)));

    /// <summary>The valid values of a named field and its boundaries (values just outside a rule, or of another kind).</summary>
    private static (Gen<string?> Valid, Gen<string?> Boundary) Pools(string name, JsonObject schema, World world, string role) => name switch
    {
        // Never a caller's own User ID: wrong passwords would lock it, a role change would end its session.
        "userId" => (Gen.OneOf<string?>([.. world.TargetUserIds]), Gen.OneOf<string?>("99999999999", "56125810020", "5612581002")),
        "accountNumber" => (Gen.Const<string?>(world.TargetAccount), Gen.OneOf<string?>("500100000000", "123456789012", world.TargetAccount[..11])),
        "toAccountNumber" => (Gen.Const<string?>(world.TargetAccount), Gen.OneOf<string?>(world.CallerAccount, "123456789012", "500100000000")),
        "transactionId" => (Gen.Const<string?>(world.TransactionId), Gen.OneOf<string?>("TXN000000000000", "TXN", world.TransactionId.ToLowerInvariant())),
        "state" => (Gen.OneOf<string?>("Maharashtra", "Ladakh"), Gen.OneOf<string?>("maharashtra", "Atlantis")),
        "city" => (Gen.Const<string?>("Pune"), Gen.OneOf<string?>("Leh", "Atlantis")),
        "type" => (Gen.OneOf<string?>("credit", "debit", "transfer"), Gen.OneOf<string?>("CREDIT", "refund")),
        "role" => (Gen.OneOf<string?>("Customer", "Employee", "Admin"), Gen.OneOf<string?>("Super_Admin", "customer", "Root")),
        "status" => (Gen.OneOf<string?>("Active", "Inactive", "Suspended", "Pending", "Frozen", "Closed", "pending", "sent", "failed"), Gen.OneOf<string?>("Gone", "ACTIVE")),
        "activity" => (Gen.OneOf<string?>("Active", "Inactive"), Gen.Const<string?>("Dormant")),
        "sort" => (Gen.OneOf<string?>("userId", "-userId", "name", "-name", "signIns", "-failedAttempts"), Gen.OneOf<string?>("bogus", "--name")),
        "month" => (Gen.OneOf<string?>("2026-11", "2026-12"), Gen.OneOf<string?>("2000-01", "1999-12", "9999-12", "2026-13", "2026-1")),
        "from" or "to" => (Gen.OneOf<string?>("2026-01-01", "2026-12-01T10:00:00Z"), Gen.OneOf<string?>("2000-01-01", "1999-12-31", "9998-12-31", "9999-12-31", "2026-02-30")),
        "minAmount" or "maxAmount" => (Gen.OneOf<string?>("1", "0.01", "1000000"), Gen.OneOf<string?>("0", "-5", "1e400", "1,000", "0.001")),
        "cursor" => (Gen.OneOf<string?>("eyJ4IjoxfQ", "e30"), Gen.OneOf<string?>("!!!", "AAAA", "eyJsaXN0IjoidXNlcnMiLCJrZXkiOjF9")),
        "limit" => (Gen.OneOf<string?>("1", "25", "200"), Gen.OneOf<string?>("201", "0", "-1", "2147483648")),
        "id" => (Gen.OneOf<string?>("1", "2"), Gen.OneOf<string?>("0", "-1", "9223372036854775807", "9223372036854775808", "abc")),
        "size" => (Gen.OneOf<string?>("desktop", "phone"), Gen.OneOf<string?>("PHONE", "tv")),
        "format" => (Gen.OneOf<string?>("csv", "json"), Gen.OneOf<string?>("CSV", "xml")),
        "useCookies" => (Gen.OneOf<string?>("true", "false"), Gen.OneOf<string?>("yes", "2")),
        "password" => (Gen.Const<string?>(world.TargetPassword), Gen.OneOf<string?>("wrong-Password-1", new string('p', 5000))),
        "currentPassword" => (Gen.Const<string?>(() => world.PasswordOf(role)), Gen.OneOf<string?>("wrong-Password-1", new string('p', 5000))),
        "newPassword" => (Gen.Const<string?>(() => TestUsers.StrongPassword()), Gen.OneOf(null, "short", "alllowercaseletters", new string('P', 300))),
        "email" => (Gen.Const<string?>(() => $"fuzz{Guid.NewGuid():N}@example.com"), Gen.OneOf<string?>("not-an-email", "a@b", "superadmin@bank.local")),
        "phoneNumbers" => (Gen.Const<string?>(() => TestUsers.UniquePhone()), Gen.OneOf<string?>("123", "98765432101", "+919876543210")),
        "dateOfBirth" => (Gen.Const<string?>("1990-04-15"), Gen.OneOf<string?>("1899-12-31", "2020-01-01", "1990-02-30", "15/04/1990")),
        "firstName" or "lastName" => (Gen.OneOf<string?>("Asha", "O'Brien", "Anne-Marie"), Gen.OneOf<string?>("X Æ A-12", new string('a', 51))),
        "gender" => (Gen.OneOf<string?>("Female", "Male", "Other"), Gen.OneOf<string?>("female", "Unknown")),
        "street" => (Gen.Const<string?>("12 MG Road"), Gen.Const<string?>(new string('s', 500))),
        "narration" => (Gen.Const<string?>("rent"), Gen.OneOf<string?>("<script>alert(1)</script>", new string('n', 1000), "tab\there")),
        "q" => (Gen.OneOf<string?>("Asha", "5612", "example.com"), Gen.OneOf<string?>("%", "_", "\\")),
        "amount" => (Gen.Int[1, 500].Select(i => (string?)i.ToString(CultureInfo.InvariantCulture)),
            Gen.OneOf<string?>("0.01", "100.50", "0", "-1", "0.001", "1000000", "1000000.01", "999999999999", "1e400", "1E2", "-0", "79228162514264337593543950336")),
        _ when Types(schema).Overlaps(["integer", "number"]) => (Gen.OneOf<string?>("0", "1", "25"),
            Gen.OneOf<string?>("-1", "200", "201", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1.5", "1e400")),
        _ when Types(schema).Contains("boolean") => (Gen.OneOf<string?>("true", "false"), Gen.OneOf<string?>("yes", "2")),
        _ => (Gen.String[1, 20].Select(s => (string?)s), Gen.OneOf<string?>("", new string('z', 1000))),
    };

    private static JsonObject Resolve(JsonObject schema, JsonObject document)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!.AsObject();
        }

        if (schema["oneOf"] is JsonArray oneOf && oneOf.OfType<JsonObject>().FirstOrDefault(s => s["type"]?.ToString() != "null") is { } some)
        {
            return Resolve(some, document);
        }

        return schema;
    }

    private static HashSet<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => [.. types.Select(t => t!.GetValue<string>())],
        JsonValue type => [type.GetValue<string>()],
        _ => [],
    };

    /// <summary>One operation of the document: what it takes and the statuses it lists.</summary>
    private sealed record Operation(string Id, HttpMethod Method, string Path, IReadOnlyList<Parameter> Parameters, JsonObject? Body, IReadOnlySet<int> Statuses, JsonObject Document)
    {
        public static List<Operation> All(JsonObject document) =>
        [
            .. from path in document["paths"]!.AsObject()
               from operation in path.Value!.AsObject()
               let o = operation.Value!.AsObject()
               select new Operation(
                   o["operationId"]!.GetValue<string>(),
                   new HttpMethod(operation.Key.ToUpperInvariant()),
                   path.Key,
                   [.. (o["parameters"] as JsonArray ?? []).Select(p => new Parameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["schema"]!.AsObject()))],
                   o["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject(),
                   o["responses"]!.AsObject().Select(r => int.Parse(r.Key, CultureInfo.InvariantCulture)).ToHashSet(),
                   document),
        ];
    }

    private sealed record Parameter(string Name, string In, JsonObject Schema);

    /// <summary>One generated request.</summary>
    private sealed record FuzzRequest(HttpMethod Method, string Url, List<(string Name, string Value)> Headers, string? Body, string? ContentType)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(Method, Url);
            foreach (var (name, value) in Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            if (Body is not null)
            {
                message.Content = new StringContent(Body, Encoding.UTF8);
                message.Content.Headers.ContentType = ContentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(ContentType);
            }

            return message;
        }

        public override string ToString() =>
            $"{Method} {Url} [{string.Join(", ", Headers.Select(h => $"{h.Name}: {Shorten(h.Value)}"))}] {ContentType} {Shorten(Body ?? "")}";
    }

    /// <summary>
    /// The bank the requests run against: a signed-in caller per role, a second user per role for the calls that end
    /// sessions, target users and an account that the generated requests may change (never the callers themselves).
    /// </summary>
    private sealed class World
    {
        private readonly BankApp _app;
        private readonly HttpClient _superAdmin;
        private readonly Dictionary<string, HttpClient> _callers = [];
        private readonly ConcurrentDictionary<string, (string UserId, HttpClient Client)> _seconds = new();
        private readonly HttpClient _anonymous;

        private World(BankApp app, HttpClient superAdmin)
        {
            _app = app;
            _superAdmin = superAdmin;
            _anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = app.ClientOptions.BaseAddress, AllowAutoRedirect = false, HandleCookies = false });
        }

        public List<string> TargetUserIds { get; } = [];

        public string TargetAccount { get; private set; } = "";

        public string TargetPassword { get; private set; } = "";

        public string CallerAccount { get; private set; } = "";

        public string TransactionId { get; private set; } = "";

        public static async Task<World> CreateAsync(BankApp app, HttpClient superAdmin)
        {
            var world = new World(app, superAdmin);
            world._callers["Super_Admin"] = superAdmin;
            foreach (var role in new[] { "Customer", "Employee", "Admin" })
            {
                var (client, _) = await app.ActiveUserAsync(superAdmin, role);
                world._callers[role] = client;
            }

            foreach (var role in new[] { "Customer", "Employee", "Admin", "Super_Admin" })
            {
                var created = await BankApp.CreateUserAsync(superAdmin, role);
                var (client, _) = await app.FirstSignInAsync(created);
                world._seconds[role] = (created.UserId, client);
            }

            foreach (var role in new[] { "Customer", "Employee", "Admin" })
            {
                var target = await BankApp.CreateUserAsync(superAdmin, role);
                world.TargetUserIds.Add(target.UserId);
                if (role == "Customer")
                {
                    world.TargetAccount = target.AccountNumber!;
                    world.TargetPassword = target.TemporaryPassword;
                }
            }

            var me = await (await world._callers["Customer"].GetAsync("/api/v1/accounts/me")).JsonAsync();
            world.CallerAccount = me["accountNumber"]!.GetValue<string>();
            var deposit = await world._callers["Customer"].PostAsJsonAsync("/api/v1/transactions", new { type = "credit", amount = 5000 });
            world.TransactionId = (await deposit.JsonAsync())["transactionId"]!.GetValue<string>();
            return world;
        }

        /// <summary>The password the role's callers have now (for the body of a sign-in or a password change).</summary>
        public string PasswordOf(string role) =>
            _seconds.TryGetValue(role, out var second) ? _app.LastPasswords[second.UserId] : "no-Password-1";

        /// <summary>The client of the role; for calls that end sessions, the role's second user, signed in (and unlocked) again when needed.</summary>
        public async Task<HttpClient> CallerAsync(string role, bool sessionEnding)
        {
            if (role == "anonymous")
            {
                return _anonymous;
            }

            if (!sessionEnding)
            {
                return _callers[role];
            }

            var (userId, client) = _seconds[role];
            if ((await client.GetAsync("/api/v1/auth/me")).StatusCode == HttpStatusCode.OK)
            {
                return client;
            }

            var unlock = await _superAdmin.PostAsync($"/api/v1/users/{userId}/unlock", null);
            Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
            client = await _app.SignInAsync(userId, _app.LastPasswords[userId]);
            _seconds[role] = (userId, client);
            return client;
        }

        /// <summary>Keeps the world in step with what a request did: the second user's new password.</summary>
        public void Observe(string role, string operationId, FuzzRequest request, int status)
        {
            if (operationId == "postAuthChangePassword" && status == 204 && JsonNode.Parse(request.Body!)?["newPassword"]?.GetValue<string>() is { } password)
            {
                _app.LastPasswords[_seconds[role].UserId] = password;
            }
        }
    }
}
