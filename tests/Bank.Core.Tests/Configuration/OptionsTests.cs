using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bank.Core.Tests.Configuration;

/// <summary>Settings are checked at start, and a mistake names its key and the rule (no half-started bank).</summary>
public sealed class OptionsTests
{
    [Fact]
    public void The_embedded_defaults_need_no_settings()
    {
        var database = DatabaseOptions.Read(Settings());

        Assert.Equal((DatabaseProvider.Sqlite, DatabaseOptions.DefaultConnectionString, true), (database.Kind, database.ConnectionString, database.MigrateOnStart));
        using var services = Services(Settings());
        Assert.Equal("superadmin@bank.local", services.GetRequiredService<IOptions<BootstrapOptions>>().Value.Email);
        Assert.Equal("Asia/Kolkata", services.GetRequiredService<IOptions<BankOptions>>().Value.TimeZone);
    }

    [Theory]
    [InlineData("postgres", DatabaseProvider.Postgres)]
    [InlineData(" SQLITE ", DatabaseProvider.Sqlite)]
    public void The_provider_is_named_in_any_case(string text, DatabaseProvider expected) =>
        Assert.Equal(expected, DatabaseOptions.Read(Settings(("Database:Provider", text), ("ConnectionStrings:Bank", "Host=db"))).Kind);

    [Theory]
    [InlineData("Oracle", "Database:Provider must be one of Sqlite, Postgres, not 'Oracle'.")]
    [InlineData("1", "Database:Provider must be one of Sqlite, Postgres, not '1'.")]
    public void An_unknown_provider_stops_the_start_with_its_name(string provider, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => DatabaseOptions.Read(Settings(("Database:Provider", provider))));
        Assert.Contains(message, error.Failures);
    }

    [Fact]
    public void An_empty_connection_string_stops_the_start() =>
        Assert.Contains("ConnectionStrings:Bank must name the database.",
            Assert.Throws<OptionsValidationException>(() => DatabaseOptions.Read(Settings(("ConnectionStrings:Bank", " ")))).Failures);

    [Theory]
    [InlineData("Bootstrap:SuperAdmin:Password", "password1234", "Bootstrap:SuperAdmin:Password breaks the password policy")]
    [InlineData("Bootstrap:SuperAdmin:Password", "short1", "Bootstrap:SuperAdmin:Password breaks the password policy")]
    [InlineData("Bootstrap:SuperAdmin:Email", "not-an-email", "Bootstrap:SuperAdmin:Email")]
    public void A_bootstrap_password_against_the_policy_or_a_bad_email_stops_the_start(string key, string value, string message)
    {
        using var services = Services(Settings((key, value)));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BootstrapOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_time_zone_stops_the_start()
    {
        using var services = Services(Settings(("Bank:TimeZone", "Mars/Olympus_Mons")));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BankOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("Mars/Olympus_Mons", StringComparison.Ordinal));
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    /// <summary>The bank's registration on these settings (on an in-memory database: nothing is created on disk).</summary>
    private static ServiceProvider Services(IConfiguration configuration) =>
        new ServiceCollection().AddLogging()
            .AddBankCore(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("ConnectionStrings:Bank", (string?)"Data Source=:memory:")]).AddConfiguration(configuration).Build())
            .BuildServiceProvider();
}
