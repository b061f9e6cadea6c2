using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bank.Web.Tests.Infrastructure;

/// <summary>A signed-in customer with a changed password and their account number.</summary>
public sealed record Customer(HttpClient Client, string UserId, string AccountNumber);

/// <summary>Making customers and moving their money through the public API.</summary>
public static class Customers
{
    /// <summary>A new customer made by <paramref name="admin"/>, signed in with a password of their own (in <see cref="BankApp.LastPasswords"/>).</summary>
    public static async Task<Customer> NewAsync(this BankApp app, HttpClient admin)
    {
        var created = await BankApp.CreateUserAsync(admin, "Customer");
        var (client, _) = await app.FirstSignInAsync(created);
        return new Customer(client, created.UserId, created.AccountNumber!);
    }

    /// <summary>A new customer with the given name (the names other customers see, masked, on transfers).</summary>
    public static async Task<Customer> NewAsync(this BankApp app, HttpClient admin, string firstName, string lastName)
    {
        var user = TestUsers.NewUser("Customer");
        user["firstName"] = firstName;
        user["lastName"] = lastName;
        var response = await admin.PostAsJsonAsync("/api/v1/users", user);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = (await response.Content.ReadFromJsonAsync<CreatedBody>())!;
        var (client, _) = await app.FirstSignInAsync(created);
        return new Customer(client, created.UserId, created.AccountNumber!);
    }

    /// <summary>POST /transactions with a raw JSON body (so that tests can send what a typed client could not).</summary>
    public static Task<HttpResponseMessage> MoveAsync(this HttpClient client, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/transactions")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonObject> DepositAsync(this Customer customer, decimal amount)
    {
        var response = await customer.Client.PostAsJsonAsync("/api/v1/transactions", new { type = "credit", amount });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    public static async Task<decimal> BalanceAsync(this Customer customer)
    {
        var me = await customer.Client.GetAsync("/api/v1/accounts/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        return (await me.JsonAsync())["balance"]!.GetValue<decimal>();
    }
}
