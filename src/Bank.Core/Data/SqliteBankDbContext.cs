using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bank.Core.Data;

/// <summary>The model on SQLite (the embedded default). Migrations in Data/Sqlite/Migrations.</summary>
public sealed class SqliteBankDbContext(DbContextOptions<SqliteBankDbContext> options) : BankDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type: store UTC ticks so that ordering and comparison happen in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBankDbContext>
{
    public SqliteBankDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBankDbContext>().UseSqlite("Data Source=design.db").Options);
}
