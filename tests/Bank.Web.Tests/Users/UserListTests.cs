using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Users;

/// <summary>The users list: search, filters, keyset paging; and the Super_Admin that must remain.</summary>
public sealed class UserListTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Search_finds_by_user_id_name_email_and_phone(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var phone = TestUsers.UniquePhone();
        var body = TestUsers.NewUser("Customer", $"find.{tag}@example.com", phone);
        body["lastName"] = "Zed" + new string(tag.Where(char.IsLetter).ToArray()) + "qx";
        var created = await (await admin.PostAsJsonAsync("/api/v1/users", body)).JsonAsync();
        var userId = created["userId"]!.GetValue<string>();

        foreach (var q in new[] { userId, (string)body["lastName"]!, $"Asha {body["lastName"]}".ToUpperInvariant(), $"FIND.{tag}", phone[3..] })
        {
            var items = await ItemsAsync(admin, $"/api/v1/users?q={Uri.EscapeDataString(q)}");
            Assert.Contains(items, i => i!["userId"]!.GetValue<string>() == userId);
        }

        var item = (await ItemsAsync(admin, $"/api/v1/users?q={userId}")).Single()!;
        foreach (var field in new[] { "userId", "firstName", "lastName", "email", "phoneNumbers", "role", "gender", "dateOfBirth", "status", "activityStatus" })
        {
            Assert.True(item.AsObject().ContainsKey(field), field);
        }

        Assert.Equal(phone, item["phoneNumbers"]![0]!.GetValue<string>());
        Assert.Equal("1990-04-15", item["dateOfBirth"]!.GetValue<string>());
    }

    [Theory, DatabaseData]
    public async Task Filters_by_role_status_and_activity(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var suspended = await BankApp.CreateUserAsync(admin, "Employee");
        await admin.PatchJsonAsync($"/api/v1/users/{suspended.UserId}", new { status = "Suspended" });

        var employees = await ItemsAsync(admin, "/api/v1/users?role=Employee&limit=100");
        Assert.All(employees, i => Assert.Equal("Employee", i!["role"]!.GetValue<string>()));
        var suspendedOnes = await ItemsAsync(admin, "/api/v1/users?status=suspended&limit=100");
        Assert.Contains(suspendedOnes, i => i!["userId"]!.GetValue<string>() == suspended.UserId);
        Assert.All(suspendedOnes, i => Assert.Equal("Suspended", i!["status"]!.GetValue<string>()));
        var active = await ItemsAsync(admin, "/api/v1/users?activity=Active&limit=100");
        Assert.Contains(active, i => i!["userId"]!.GetValue<string>() == BankApp.SuperAdminId);
        Assert.DoesNotContain(active, i => i!["userId"]!.GetValue<string>() == suspended.UserId);

        var bad = await admin.GetAsync("/api/v1/users?role=Pilot&status=Asleep&activity=Maybe&limit=0&cursor=%%%");
        var fields = (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields();
        Assert.Equal(["activity", "cursor", "limit", "role", "status"], fields.Order());
    }

    [Theory]
    [DatabaseData("userId")]
    [DatabaseData("-userId")]
    [DatabaseData("name")]
    [DatabaseData("-name")]
    public async Task Keyset_pages_cover_every_user_once_in_order(DatabaseProvider provider, string sort)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        for (var i = 0; i < 7; i++)
        {
            await BankApp.CreateUserAsync(admin, "Customer");
        }

        var all = await ItemsAsync(admin, $"/api/v1/users?sort={sort}&limit=100");
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync($"/api/v1/users?sort={sort}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            paged.AddRange(page["items"]!.AsArray().Select(i => i!["userId"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(all.Select(i => i!["userId"]!.GetValue<string>()), paged);
        Assert.Equal(paged.Count, paged.Distinct().Count());
        if (sort.EndsWith("userId", StringComparison.Ordinal))
        {
            var ids = paged.Select(long.Parse).ToList();
            Assert.Equal(sort.StartsWith('-') ? ids.OrderDescending() : ids.Order(), ids);
        }
    }

    [Theory, DatabaseData]
    public async Task Two_super_admins_demoting_each_other_at_once_leave_one_active_super_admin(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        for (var round = 0; round < 3; round++)
        {
            // The bootstrap Super_Admin's sessions end when it is set Inactive below: sign in afresh each round.
            var root = await app.SuperAdminAsync();
            var (a, aId) = await app.ActiveUserAsync(root, "Super_Admin");
            var (b, bId) = await app.ActiveUserAsync(root, "Super_Admin");
            // Take the bootstrap Super_Admin out of the picture, so that a and b are the only active ones.
            await SetStatusAsync(a, BankApp.SuperAdminId, "Inactive");

            var results = await Task.WhenAll(
                a.PatchJsonAsync($"/api/v1/users/{bId}", new { role = "Admin" }),
                b.PatchJsonAsync($"/api/v1/users/{aId}", new { status = "Suspended" }));

            // Exactly one wins; the other is refused (409 last Super_Admin, or 401 if its session already ended).
            Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Contains(results.Single(r => r.StatusCode != HttpStatusCode.OK).StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.Unauthorized });
            await using (var db = app.Database.CreateContext())
            {
                Assert.Equal(1, await db.Users.CountAsync(u => u.Role == Core.Users.Role.SuperAdmin && u.Status == Core.Users.UserStatus.Active));
            }

            // Back to one active Super_Admin (the bootstrap one) for the next round.
            var (survivor, survivorId) = results[0].StatusCode == HttpStatusCode.OK ? (a, aId) : (b, bId);
            await SetStatusAsync(survivor, BankApp.SuperAdminId, "Active");
            await SetStatusAsync(await app.SuperAdminAsync(), survivorId, "Inactive");
        }
    }

    [Theory, DatabaseData]
    public async Task The_last_active_super_admin_cannot_be_demoted_or_suspended(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (other, otherId) = await app.ActiveUserAsync(root, "Super_Admin");
        await SetStatusAsync(other, BankApp.SuperAdminId, "Suspended");
        try
        {
            // otherId is now the only active Super_Admin; nobody else may touch them, and they may not touch themselves.
            var self = await other.PatchJsonAsync($"/api/v1/users/{otherId}", new { role = "Admin" });
            await self.AssertProblemAsync(HttpStatusCode.Forbidden);
            await using var db = app.Database.CreateContext();
            Assert.Equal(1, await db.Users.CountAsync(u => u.Role == Core.Users.Role.SuperAdmin && u.Status == Core.Users.UserStatus.Active));
        }
        finally
        {
            await SetStatusAsync(other, BankApp.SuperAdminId, "Active");
            await SetStatusAsync(await app.SuperAdminAsync(), otherId, "Inactive");
        }
    }

    private static async Task SetStatusAsync(HttpClient client, string userId, string status)
    {
        var response = await client.PatchJsonAsync($"/api/v1/users/{userId}", new { status });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonArray> ItemsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())["items"]!.AsArray();
    }
}

