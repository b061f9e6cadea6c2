using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Users;

/// <summary>User IDs, accounts opened with customers, and every validation rule of user creation (SPEC §2).</summary>
public sealed class UserCreationTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task User_ids_continue_the_seed_scheme_and_customers_get_a_checked_account_number(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var first = await BankApp.CreateUserAsync(admin, "Customer");
        var second = await BankApp.CreateUserAsync(admin, "Employee");

        Assert.True(long.Parse(first.UserId) > 56125810021);
        Assert.Equal(long.Parse(first.UserId) + 1, long.Parse(second.UserId));
        Assert.NotNull(first.AccountNumber);
        Assert.True(AccountNumber.IsValid(first.AccountNumber), first.AccountNumber);
        Assert.Null(second.AccountNumber);

        var details = await (await admin.GetAsync($"/api/v1/users/{first.UserId}")).JsonAsync();
        Assert.Equal(first.AccountNumber, details["account"]!["accountNumber"]!.GetValue<string>());
        Assert.Equal(0m, details["account"]!["balance"]!.GetValue<decimal>());
        Assert.Equal("Active", details["account"]!["status"]!.GetValue<string>());
        Assert.True(details["mustChangePassword"]!.GetValue<bool>());
    }

    [Theory, DatabaseData]
    public async Task Twenty_concurrent_creates_get_twenty_distinct_ascending_ids(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => BankApp.CreateUserAsync(admin, "Customer")));

        var ids = created.Select(c => long.Parse(c.UserId)).ToList();
        Assert.Equal(20, ids.Distinct().Count());
        var sorted = ids.Order().ToList();
        // No gaps between committed ids: the counter advanced once per create, inside each create's transaction.
        Assert.Equal(Enumerable.Range(0, 20).Select(i => sorted[0] + i), sorted);
        Assert.Equal(20, created.Select(c => c.AccountNumber).Distinct().Count());
        Assert.All(created, c => Assert.True(AccountNumber.IsValid(c.AccountNumber)));
    }

    public static TheoryData<string, string?, string> BadFields => new()
    {
        { "firstName", null, "firstName" },
        { "firstName", "\"\"", "firstName" },
        { "firstName", "\"R2D2\"", "firstName" },
        { "firstName", "\"" + new string('a', 51) + "\"", "firstName" },
        { "lastName", null, "lastName" },
        { "email", null, "email" },
        { "email", "\"not-an-email\"", "email" },
        { "email", "\"a@b\"", "email" },
        { "dateOfBirth", null, "dateOfBirth" },
        { "dateOfBirth", "\"15/04/1990\"", "dateOfBirth" },
        { "dateOfBirth", "\"2999-01-01\"", "dateOfBirth" },
        { "dateOfBirth", "\"1850-01-01\"", "dateOfBirth" },
        { "dateOfBirth", "\"" + DateTime.UtcNow.AddYears(-17).ToString("yyyy-MM-dd") + "\"", "dateOfBirth" },
        { "phoneNumbers", null, "phoneNumbers" },
        { "phoneNumbers", "[]", "phoneNumbers" },
        { "phoneNumbers", "[\"12345\"]", "phoneNumbers[0]" },
        { "phoneNumbers", "[\"98765abcde\"]", "phoneNumbers[0]" },
        { "phoneNumbers", "[\"9000000001\",\"9000000001\"]", "phoneNumbers[1]" },
        { "gender", null, "gender" },
        { "gender", "\"Robot\"", "gender" },
        { "address.state", null, "address.state" },
        { "address.state", "\"Atlantis\"", "address.state" },
        { "address.city", null, "address.city" },
        { "address.city", "\"Chennai\"", "address.city" },
        { "address.street", "\"" + new string('s', 201) + "\"", "address.street" },
        { "address", null, "address.state" },
        { "role", null, "role" },
        { "role", "\"Manager\"", "role" },
    };

    [Theory]
    [DatabaseData(MemberName = nameof(BadFields))]
    public async Task Each_bad_field_is_answered_400_naming_the_field_and_nothing_is_stored(DatabaseProvider provider, string path, string? json, string expectedField)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var body = JsonNode.Parse(JsonSerializer.Serialize(TestUsers.NewUser("Customer"), Http.Web))!.AsObject();
        Set(body, path, json is null ? null : JsonNode.Parse(json));
        var before = await CountsAsync(app);

        var response = await admin.PostAsync("/api/v1/users", JsonContent.Create(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Contains(expectedField, problem.ErrorFields());
        Assert.Equal(before, await CountsAsync(app));
    }

    [Theory, DatabaseData]
    public async Task Email_is_unique_ignoring_case_and_phones_are_unique_across_users(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var phone = TestUsers.UniquePhone();
        var email = $"Unique.{Guid.NewGuid():N}@Example.com";
        await BankApp.CreateUserAsync(admin, "Customer", email, phone);
        var before = await CountsAsync(app);

        var sameEmail = await admin.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser("Customer", email.ToUpperInvariant()));
        Assert.Contains("email", (await sameEmail.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());

        var samePhone = await admin.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser("Customer", phone: phone));
        Assert.Contains("phoneNumbers[0]", (await samePhone.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        Assert.Equal(before, await CountsAsync(app));
    }

    [Theory, DatabaseData]
    public async Task Concurrent_creates_with_one_email_store_exactly_one_user(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var email = $"race.{Guid.NewGuid():N}@example.com";
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser("Customer", email))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        await using var db = app.Database.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == Core.Users.User.NormalizeEmail(email)));
    }

    [Theory, DatabaseData]
    public async Task Malformed_json_is_400_and_wrong_types_name_the_field_and_wrong_content_type_is_415(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var before = await CountsAsync(app);

        var malformed = await admin.PostAsync("/api/v1/users", new StringContent("{\"firstName\": ", System.Text.Encoding.UTF8, "application/json"));
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);

        var wrongType = await admin.PostAsync("/api/v1/users", new StringContent("{\"phoneNumbers\": 12345}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("phoneNumbers", (await wrongType.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        var form = await admin.PostAsync("/api/v1/users", new FormUrlEncodedContent([new("firstName", "Asha")]));
        await form.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);

        var empty = await admin.PostAsync("/api/v1/users", new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(before, await CountsAsync(app));
    }

    private static async Task<(int Users, int Phones, int Accounts)> CountsAsync(BankApp app)
    {
        await using var db = app.Database.CreateContext();
        return (await db.Users.CountAsync(), await db.UserPhones.CountAsync(), await db.Accounts.CountAsync());
    }

    private static void Set(JsonObject body, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var target = body;
        foreach (var part in parts[..^1])
        {
            target = target[part]!.AsObject();
        }

        target[parts[^1]] = value;
    }
}

