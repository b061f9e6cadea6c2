using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bank.Core.Data;

/// <summary>The model on PostgreSQL (production). Migrations in Data/Postgres/Migrations.</summary>
public sealed class PostgresBankDbContext(DbContextOptions<PostgresBankDbContext> options) : BankDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBankDbContext>
{
    public PostgresBankDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBankDbContext>().UseNpgsql("Host=localhost;Database=bank_design").Options);
}
