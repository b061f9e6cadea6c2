using System.Net;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Users;

/// <summary>
/// Pages show the bank's words (Super Admin, API, Dormant / Recently active for the 90-day activity) while the API keeps its
/// contract values (Super_Admin, api, Active / Inactive).
/// </summary>
public sealed class DisplayWordsTests(BankApps apps) : IClassFixture<BankApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Pages_show_display_words_and_the_api_keeps_its_values(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var dormant = await BankApp.CreateUserAsync(root, "Employee");
        var browser = new CookieClient(app);
        await browser.SignInAsync(BankApp.SuperAdminId, BankApp.SuperAdminPassword);

        // The API: the contract's values.
        var json = await (await root.GetAsync($"/api/v1/users?q={dormant.UserId}", Ct)).JsonAsync();
        Assert.Equal("Inactive", json["items"]![0]!["activityStatus"]!.GetValue<string>());
        Assert.Equal("Active", json["items"]![0]!["status"]!.GetValue<string>());
        var me = await (await root.GetAsync("/api/v1/auth/me", Ct)).JsonAsync();
        Assert.Equal("Super_Admin", me["role"]!.GetValue<string>());

        // The users list: roles in words, activity as Recently active / Dormant with its meaning, filters keep the API's values.
        var list = await browser.Client.GetAsync("/Users?q=" + dormant.UserId, Ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var html = await list.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<span class=\"badge\">Super Admin</span>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Super_Admin\">Super Admin</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Inactive\">Dormant</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Active\">Recently active</option>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"hint\" id=\"activity-hint\">Dormant: no sign-in for 90 days.</p>", html, StringComparison.Ordinal);
        Assert.Contains("title=\"Recently active: signed in within the last 90 days. Dormant: no sign-in in the last 90 days", html, StringComparison.Ordinal);
        Assert.Matches(@"<span class=""badge badge-ok"">Active</span>\s*<span class=""badge badge-muted""[^>]*>Dormant</span>", html);
        Assert.DoesNotContain(">Super_Admin<", html, StringComparison.Ordinal);

        var everyone = await (await browser.Client.GetAsync("/Users?role=Super_Admin", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<td>Super Admin</td>", everyone, StringComparison.Ordinal);
        Assert.Contains(">Recently active</span>", everyone, StringComparison.Ordinal);

        // The sign-in history: channels as Web and API.
        var logins = await (await browser.Client.GetAsync("/Account/Logins", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<td>API</td>", logins, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>Api</td>", logins, StringComparison.Ordinal);
    }
}
