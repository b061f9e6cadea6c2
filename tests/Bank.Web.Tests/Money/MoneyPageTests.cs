using System.Net;
using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Money;

/// <summary>The money forms over plain HTTP: a double or repeated submit moves money once, and forms need the antiforgery token.</summary>
public sealed partial class MoneyPageTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Submitting_the_same_deposit_form_twice_moves_money_once(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        var browser = new CookieClient(app);
        await browser.SignInAsync(customer.UserId, app.LastPasswords[customer.UserId]);
        var html = await browser.Client.GetStringAsync("/MyAccount");
        var form = DepositForm().Match(html);
        Assert.True(form.Success, "The deposit form is on the page.");
        var token = Hidden(form.Value, "__RequestVerificationToken");
        var key = Hidden(form.Value, "Form.Key");

        FormUrlEncodedContent Body(string amount, bool withToken = true) => new(new Dictionary<string, string>
        {
            ["Form.Amount"] = amount,
            ["Form.Narration"] = "cash",
            ["Form.Key"] = key,
            ["__RequestVerificationToken"] = withToken ? token : "",
        });

        var forged = await browser.Client.PostAsync("/MyAccount?handler=Deposit", Body("100", withToken: false));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var posts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => browser.Client.PostAsync("/MyAccount?handler=Deposit", Body("100"))));
        var again = await browser.Client.PostAsync("/MyAccount?handler=Deposit", Body("100"));

        // Post-redirect-get: 303 See Other to the account page, so the browser fetches it with GET.
        Assert.All(posts.Append(again), p => Assert.Equal(HttpStatusCode.SeeOther, p.StatusCode));
        Assert.Equal(100m, await customer.BalanceAsync());
        await using var db = app.Database.CreateContext();
        Assert.Equal(1, await db.LedgerTransactions.CountAsync(t => t.InitiatedByUserId == long.Parse(customer.UserId)));
        var web = await db.LedgerTransactions.SingleAsync(t => t.InitiatedByUserId == long.Parse(customer.UserId));
        Assert.Equal(Core.Channel.Web, web.Channel);

        // A new render gives a new key: the next deposit is a new transaction.
        var next = DepositForm().Match(await browser.Client.GetStringAsync("/MyAccount")).Value;
        Assert.NotEqual(key, Hidden(next, "Form.Key"));
    }

    private static string Hidden(string form, string name) =>
        Regex.Match(form, $"name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"{Regex.Escape(name)}\"") is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            : throw new InvalidOperationException($"No hidden input {name} in the form.");

    [GeneratedRegex("<form[^>]*handler=Deposit.*?</form>", RegexOptions.Singleline)]
    private static partial Regex DepositForm();
}

