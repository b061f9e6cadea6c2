using System.Globalization;
using System.Net;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Reports;

/// <summary>
/// The CSV files write times in the bank's time zone (Asia/Kolkata) with the offset, and are named by the bank's local date:
/// across midnight in India (18:30 UTC), where UTC is still on the day before.
/// </summary>
public sealed class CsvTimeZoneTests(ClockApps apps) : IClassFixture<ClockApps>
{
    private static readonly TimeZoneInfo India = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task The_statement_and_audit_csv_write_indian_times_with_the_offset_and_are_named_by_the_indian_date(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        // Ten seconds before the next midnight in India; everyone signs in after the clock moved (sessions follow it).
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow().AddHours(1), India).DateTime);
        var midnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(5.5));
        app.Clock.SetUtcNow(midnight.AddSeconds(-10).ToUniversalTime());
        var root = await app.SuperAdminAsync();
        var asha = await app.NewAsync(root);
        await asha.DepositAsync(100m);
        app.Clock.Advance(TimeSpan.FromSeconds(53));
        await asha.DepositAsync(200m);

        var export = await asha.Client.GetAsync("/api/v1/transactions/export", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var day = midnight.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var dayBefore = midnight.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal($"transactions-{midnight:yyyyMMdd}-000043.csv", export.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var rows = (await export.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.Matches($@"^TXN[A-Z0-9]{{12}},{day}T00:00:43\+05:30,credit,in,200\.00,", rows[1]);
        Assert.Matches($@"^TXN[A-Z0-9]{{12}},{dayBefore}T23:59:50\+05:30,credit,in,100\.00,", rows[2]);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit?target={asha.UserId}");
        request.Headers.Add("Accept", "text/csv");
        var audit = await root.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Equal($"audit-{midnight:yyyyMMdd}-000043.csv", audit.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var entries = (await audit.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Matches($@"^\d+,({dayBefore}T23:59:50|{day}T00:00:43)\+05:30,", e));
        Assert.Contains(entries, e => e.Contains($"{dayBefore}T23:59:50+05:30,{BankApp.SuperAdminId},", StringComparison.Ordinal) && e.Contains(",user.created,", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains($"{day}T00:00:43+05:30,", StringComparison.Ordinal));
    }
}
