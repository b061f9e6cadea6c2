using System.Net;
using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Security;

/// <summary>
/// The audit trail you can read (<c>GET /api/v1/audit</c>): filters, keyset paging and CSV; a Super_Admin reads every
/// entry, an Admin those about Employees and Customers, nobody else any; no route changes or deletes an entry.
/// </summary>
public sealed class AuditTrailTests(BankApps apps) : IClassFixture<BankApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task The_super_admin_filters_pages_and_downloads_the_trail(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var customer = await app.NewAsync(root);
        Assert.Equal(HttpStatusCode.OK, (await root.PatchJsonAsync($"/api/v1/users/{customer.UserId}", new { status = "Suspended" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await root.PatchJsonAsync($"/api/v1/users/{customer.UserId}", new { status = "Active" })).StatusCode);

        var changes = await (await root.GetAsync($"/api/v1/audit?target={customer.UserId}&action=user.status-changed", Ct)).JsonAsync();
        var items = changes["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.All(items, i =>
        {
            Assert.Equal(BankApp.SuperAdminId, i!["actorUserId"]!.GetValue<string>());
            Assert.Equal(customer.UserId, i["targetUserId"]!.GetValue<string>());
            Assert.Equal("Asha Verma", i["targetName"]!.GetValue<string>());
        });
        Assert.True(items[0]!["id"]!.GetValue<long>() > items[1]!["id"]!.GetValue<long>(), "Newest first.");
        Assert.Null(changes["nextCursor"]);

        // Keyset pages: one entry a page, every entry about the customer exactly once.
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await root.GetAsync($"/api/v1/audit?target={customer.UserId}&limit=1" + (cursor is null ? "" : "&cursor=" + cursor), Ct)).JsonAsync();
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        await using (var db = app.Database.CreateContext())
        {
            var expected = await db.AuditEvents.Where(e => e.TargetUserId == long.Parse(customer.UserId)).OrderByDescending(e => e.Id).Select(e => e.Id).ToListAsync(Ct);
            Assert.Equal(expected, seen);
            Assert.True(expected.Count >= 3, "created, suspended, reactivated");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit?target={customer.UserId}");
        request.Headers.Add("Accept", "text/csv");
        var csv = await root.SendAsync(request, Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,at,actorUserId,actorName,action,targetUserId,targetName,details,ipAddress", lines[0]);
        Assert.Equal(seen.Count, lines.Length - 1);
        Assert.Contains(lines, l => l.Contains(",user.status-changed,", StringComparison.Ordinal));

        // By date: the super admin's entries since 2000, none before the bank existed.
        Assert.NotEmpty((await (await root.GetAsync($"/api/v1/audit?actor={BankApp.SuperAdminId}&from=2000-01-01", Ct)).JsonAsync())["items"]!.AsArray());
        Assert.Empty((await (await root.GetAsync("/api/v1/audit?to=2001-01-01", Ct)).JsonAsync())["items"]!.AsArray());
    }

    [Theory, DatabaseData]
    public async Task An_admin_reads_only_entries_about_employees_and_customers_and_others_read_none(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (admin, _) = await app.ActiveUserAsync(root, "Admin");
        var otherAdmin = await BankApp.CreateUserAsync(root, "Admin");
        var (employee, employeeId) = await app.ActiveUserAsync(root, "Employee");
        var customer = await app.NewAsync(root);

        Assert.Empty(await ItemsAsync(admin, $"target={otherAdmin.UserId}"));
        Assert.NotEmpty(await ItemsAsync(admin, $"target={employeeId}"));
        Assert.NotEmpty(await ItemsAsync(admin, $"target={customer.UserId}"));
        Assert.NotEmpty(await ItemsAsync(root, $"target={otherAdmin.UserId}"));
        var everything = await ItemsAsync(admin, "limit=200");
        Assert.DoesNotContain(everything, i => i["targetUserId"]?.GetValue<string>() == otherAdmin.UserId);

        await (await employee.GetAsync("/api/v1/audit", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.Client.GetAsync("/api/v1/audit", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await app.CreateClient().GetAsync("/api/v1/audit", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, DatabaseData]
    public async Task Bad_filters_are_refused_naming_the_field_and_no_route_changes_or_deletes_an_entry(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();

        foreach (var (query, field) in new[]
        {
            ("actor=abc", "actor"), ("target=-1", "target"), ("action=user.deleted", "action"), ("from=9999-12-31", "from"),
            ("to=0001-01-01", "to"), ("from=2026-02-01&to=2026-01-01", "to"), ("limit=0", "limit"), ("cursor=bm9wZQ", "cursor"),
        })
        {
            var problem = await (await root.GetAsync("/api/v1/audit?" + query, Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal([field], problem.ErrorFields());
        }

        int count;
        await using (var db = app.Database.CreateContext())
        {
            count = await db.AuditEvents.CountAsync(Ct);
        }

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, "/api/v1/audit") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await root.SendAsync(request, Ct)).StatusCode);
        }

        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal(count, await db.AuditEvents.CountAsync(Ct));
        }
    }

    private static async Task<List<JsonNode>> ItemsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/audit?" + query, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync())["items"]!.AsArray().Select(i => i!)];
    }
}
