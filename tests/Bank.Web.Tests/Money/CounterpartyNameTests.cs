using System.Net;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Money;

/// <summary>
/// The API's transaction items name the other party of a transfer (<c>counterpartyName</c>): masked ("Ravi K.") for the
/// customers on both sides, in full for staff, absent for deposits and withdrawals; the OpenAPI document describes it.
/// </summary>
public sealed class CounterpartyNameTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Transaction_items_name_the_other_party_of_a_transfer_on_both_sides(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin, "Asha", "Sharma");
        var ravi = await app.NewAsync(admin, "Ravi", "Kumar");
        var deposit = await asha.DepositAsync(500m);
        Assert.Null(deposit["counterpartyName"]);

        var response = await asha.Client.MoveAsync($$"""{"type":"transfer","amount":120.50,"toAccountNumber":"{{ravi.AccountNumber}}","narration":"Tea"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var moved = await response.JsonAsync();
        Assert.Equal("Ravi K.", moved["counterpartyName"]!.GetValue<string>());
        var id = moved["transactionId"]!.GetValue<string>();

        var sent = (await (await asha.Client.GetAsync("/api/v1/transactions")).JsonAsync())["items"]!.AsArray();
        Assert.Equal(["Ravi K.", null], sent.Select(l => l!["counterpartyName"]?.GetValue<string>()));
        var received = (await (await ravi.Client.GetAsync("/api/v1/transactions")).JsonAsync())["items"]!.AsArray();
        Assert.Equal("Asha S.", Assert.Single(received)!["counterpartyName"]!.GetValue<string>());
        Assert.Equal(asha.AccountNumber, received[0]!["counterpartyAccountNumber"]!.GetValue<string>());
        var one = await (await ravi.Client.GetAsync($"/api/v1/transactions/{id}")).JsonAsync();
        Assert.Equal("Asha S.", one["lines"]![0]!["counterpartyName"]!.GetValue<string>());

        // Staff see both sides with full names.
        var both = (await (await admin.GetAsync($"/api/v1/transactions?transactionId={id}")).JsonAsync())["items"]!.AsArray();
        Assert.Equal(
            new[] { ("Asha Sharma", ravi.AccountNumber), ("Ravi Kumar", asha.AccountNumber) }.Order(),
            both.Select(l => (l!["counterpartyName"]!.GetValue<string>(), l["accountNumber"]!.GetValue<string>())).Order());
    }

    [Theory, DatabaseData]
    public async Task The_openapi_document_describes_counterpartyName(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var line = document["components"]!["schemas"]!["TransactionLine"]!["properties"]!["counterpartyName"]!;
        Assert.Contains("Ravi K.", line["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
