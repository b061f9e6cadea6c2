using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Web.Tests.Operations;

/// <summary>Health, the OpenAPI document and its reference page, and the reference data.</summary>
public sealed class OperationsTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Health_endpoints_answer_without_sign_in_and_readiness_checks_the_database(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Theory, DatabaseData]
    public async Task The_openapi_document_lists_the_public_routes_and_the_reference_page_is_served(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var client = app.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json");
        foreach (var route in new[] { "/api/v1/auth/login", "/api/v1/auth/me", "/api/v1/users", "/api/v1/users/{userId}", "/api/v1/users/{userId}/reset-password", "/api/v1/reference/states" })
        {
            Assert.Contains("\"" + route + "\"", document, StringComparison.Ordinal);
        }

        var page = await client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Scalar API Reference", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, DatabaseData]
    public async Task Reference_data_lists_all_states_and_union_territories_with_their_cities(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var client = await app.SuperAdminAsync();
        var states = (await client.GetFromJsonAsync<List<StateDto>>("/api/v1/reference/states"))!;
        Assert.Equal(36, states.Count);
        Assert.Equal(28, states.Count(s => s.Type == "State"));
        Assert.Contains(states, s => s.Name == "Ladakh" && s.Type == "Union Territory");

        var cities = (await client.GetFromJsonAsync<List<string>>("/api/v1/reference/states/Maharashtra/cities"))!;
        Assert.Contains("Mumbai", cities);
        Assert.Contains("Pune", cities);
        Assert.Equal(["Active", "Inactive", "Suspended", "Pending"], (await client.GetFromJsonAsync<List<string>>("/api/v1/reference/statuses"))!);
        Assert.Equal(["Super_Admin", "Admin", "Employee", "Customer"], (await client.GetFromJsonAsync<List<string>>("/api/v1/reference/roles"))!);
        await (await client.GetAsync("/api/v1/reference/states/Atlantis/cities")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_settings_files_are_read_at_start_and_not_watched()
    {
        // A watch on the content root would see every write to the database under data/ (the embedded default).
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched for changes."));
    }

    private sealed record StateDto(string Name, string Type);
}

