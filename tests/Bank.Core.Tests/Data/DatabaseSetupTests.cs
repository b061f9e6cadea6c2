using Bank.Core.Data;
using Npgsql;

namespace Bank.Core.Tests.Data;

/// <summary>The PostgreSQL connection defaults (docs/operations.md): added when the operator names none, never over theirs.</summary>
public sealed class DatabaseSetupTests
{
    [Fact]
    public void PostgreSQL_connections_prepare_statements_and_skip_the_reset_unless_the_connection_string_says_otherwise()
    {
        var prepared = new NpgsqlConnectionStringBuilder(DatabaseSetup.PreparePostgres("Host=db.internal;Username=bank;Password=secret;Database=bank"));

        Assert.Equal(64, prepared.MaxAutoPrepare);
        Assert.True(prepared.NoResetOnClose);
        Assert.Equal(("db.internal", "bank", "secret", "bank"), (prepared.Host, prepared.Username, prepared.Password, prepared.Database));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;MaxAutoPrepare=0;NoResetOnClose=false")]
    [InlineData("Host=db;max auto prepare=0;no reset on close=false")]
    public void An_operators_own_values_are_kept_whichever_way_they_are_spelt(string connectionString)
    {
        // For example behind PgBouncer in transaction mode, where prepared statements do not survive a checkout.
        var prepared = new NpgsqlConnectionStringBuilder(DatabaseSetup.PreparePostgres(connectionString));

        Assert.Equal(0, prepared.MaxAutoPrepare);
        Assert.False(prepared.NoResetOnClose);
    }

    [Fact]
    public void A_string_that_is_no_PostgreSQL_connection_string_is_left_as_given()
    {
        // It fails where it is used, as it would without the defaults (the openapi command never connects).
        const string sqlite = "Data Source=data/bank.db;Cache=Shared";
        Assert.Equal(sqlite, DatabaseSetup.PreparePostgres(sqlite));
    }
}
