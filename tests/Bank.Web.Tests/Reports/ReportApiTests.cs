using System.Net;
using System.Net.Http.Headers;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Reports;

/// <summary>The dashboard and report endpoints over HTTP: each role gets its own figures, and only what SPEC §1 allows.</summary>
public sealed class ReportApiTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Each_role_gets_its_dashboard_and_only_administrators_see_the_total_of_balances(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (admin, _) = await app.ActiveUserAsync(root, "Admin");
        var (employee, _) = await app.ActiveUserAsync(root, "Employee");
        var customer = await app.NewAsync(root);
        await customer.DepositAsync(125.50m);

        foreach (var staff in new[] { root, admin })
        {
            var figures = await (await staff.GetAsync("/api/v1/dashboard")).JsonAsync();
            Assert.True(figures["totalCustomerBalance"]!.GetValue<decimal>() >= 125.50m);
            Assert.Equal(30, figures["dailyCreditsAndDebits"]!.AsArray().Count);
            Assert.Equal(30, figures["signInsPerDay"]!.AsArray().Count);
            Assert.True(figures["usersByStatus"]!["Active"]!.GetValue<int>() >= 4);
            Assert.NotNull(figures["computedAt"]);
        }

        var employeeFigures = await (await employee.GetAsync("/api/v1/dashboard")).JsonAsync();
        Assert.False(employeeFigures.ContainsKey("totalCustomerBalance"), "An Employee's dashboard has no total of balances at all.");
        Assert.True(employeeFigures.ContainsKey("totalUsers"));

        var own = await (await customer.Client.GetAsync("/api/v1/dashboard")).JsonAsync();
        Assert.Equal(customer.AccountNumber, own["account"]!["accountNumber"]!.GetValue<string>());
        Assert.Equal(125.50m, own["account"]!["balance"]!.GetValue<decimal>());
        Assert.Equal(1, own["transactionsThisMonth"]!.GetValue<int>());
        Assert.Equal("credit", own["latest"]![0]!["type"]!.GetValue<string>());
        Assert.False(own.ContainsKey("totalUsers"));
    }

    [Theory, DatabaseData]
    public async Task Only_a_super_admin_reads_the_monthly_sign_ins_as_json_or_csv(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (admin, adminId) = await app.ActiveUserAsync(root, "Admin");
        var customer = await app.NewAsync(root);

        var report = await (await root.GetAsync("/api/v1/reports/monthly-logins?sort=-signIns&limit=200")).JsonAsync();
        var rows = report["users"]!.AsArray();
        Assert.Equal(report["usersWithAttempts"]!.GetValue<int>(), rows.Count);
        Assert.Contains(rows, r => r!["userId"]!.GetValue<string>() == adminId && r["role"]!.GetValue<string>() == "Admin");
        Assert.True(report["signIns"]!.GetValue<int>() >= 3);
        var counts = rows.Select(r => r!["signIns"]!.GetValue<int>()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/monthly-logins");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await root.SendAsync(request);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("userId,firstName,lastName,role,signIns,failedAttempts,lastSignInAt", lines[0]);
        Assert.Equal(rows.Count + 1, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(adminId + ",\"", StringComparison.Ordinal));

        // A page at a time: the same totals on every page, the rows in the same order as the whole report.
        var first = await (await root.GetAsync("/api/v1/reports/monthly-logins?sort=-signIns&limit=1")).JsonAsync();
        var cursor = first["nextCursor"]!.GetValue<string>();
        var second = await (await root.GetAsync($"/api/v1/reports/monthly-logins?sort=-signIns&limit=1&cursor={Uri.EscapeDataString(cursor)}")).JsonAsync();
        Assert.Equal(
            rows.Take(2).Select(r => r!["userId"]!.GetValue<string>()),
            new[] { first, second }.Select(p => p["users"]!.AsArray().Single()!["userId"]!.GetValue<string>()));
        Assert.Equal(report["signIns"]!.GetValue<int>(), second["signIns"]!.GetValue<int>());
        var otherSort = await (await root.GetAsync($"/api/v1/reports/monthly-logins?sort=name&cursor={Uri.EscapeDataString(cursor)}")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["cursor"], otherSort.ErrorFields());
        Assert.Equal("text/csv", (await root.GetAsync("/api/v1/reports/monthly-logins?format=csv")).Content.Headers.ContentType!.MediaType);

        await (await admin.GetAsync("/api/v1/reports/monthly-logins")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.Client.GetAsync("/api/v1/reports/monthly-logins")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var bad = await (await root.GetAsync("/api/v1/reports/monthly-logins?month=2026-13&sort=height")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["month", "sort"], bad.ErrorFields().Order());
        await (await app.CreateClient().GetAsync("/api/v1/dashboard")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, DatabaseData]
    public async Task Charts_are_png_attachments_of_the_asked_size_for_whom_spec_allows(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (employee, _) = await app.ActiveUserAsync(root, "Employee");
        var asha = await app.NewAsync(root);
        var ravi = await app.NewAsync(root);
        await asha.DepositAsync(900m);

        var own = await asha.Client.GetAsync("/api/v1/charts/transactions");
        await AssertPngAsync(own, 1200, 700);
        Assert.Equal("attachment", own.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains(asha.AccountNumber, own.Content.Headers.ContentDisposition.FileNameStar ?? own.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        await AssertPngAsync(await asha.Client.GetAsync($"/api/v1/charts/transactions?userId={asha.UserId}&size=phone"), 720, 960);
        await AssertPngAsync(await employee.GetAsync($"/api/v1/charts/transactions?userId={ravi.UserId}"), 1200, 700);
        await AssertPngAsync(await employee.GetAsync("/api/v1/charts/daily-flows"), 1200, 700);
        await AssertPngAsync(await root.GetAsync("/api/v1/charts/daily-sign-ins?size=phone"), 720, 960);

        await (await asha.Client.GetAsync($"/api/v1/charts/transactions?userId={ravi.UserId}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await asha.Client.GetAsync("/api/v1/charts/daily-flows")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await asha.Client.GetAsync("/api/v1/charts/daily-sign-ins")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["userId"], (await (await employee.GetAsync("/api/v1/charts/transactions")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        await (await employee.GetAsync($"/api/v1/charts/transactions?userId={BankApp.SuperAdminId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(["size"], (await (await asha.Client.GetAsync("/api/v1/charts/transactions?size=poster")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        await (await app.CreateClient().GetAsync("/api/v1/charts/transactions")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>A PNG (its signature) whose header says the asked width and height.</summary>
    private static async Task AssertPngAsync(HttpResponseMessage response, int width, int height)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal((width, height), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        Assert.True(bytes.Length > 10_000, "A chart, not a blank picture.");
    }
}
