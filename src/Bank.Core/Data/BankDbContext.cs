using System.Globalization;
using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Bank.Core.Data;

/// <summary>
/// The one EF Core model. Each feature maps its own tables (<c>*Mapping</c> classes beside its entities, all found in
/// this assembly); every column is snake_case (EFCore.NamingConventions). Each database has a subclass with its own
/// migrations.
/// </summary>
public abstract class BankDbContext(DbContextOptions options) : DbContext(WithNaming(options)), IDataProtectionKeyContext
{
    /// <summary>People who sign in.</summary>
    public DbSet<User> Users => Set<User>();

    /// <summary>Their phone numbers.</summary>
    public DbSet<UserPhone> UserPhones => Set<UserPhone>();

    /// <summary>Their recent password hashes.</summary>
    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();

    /// <summary>Customer accounts and the bank's own.</summary>
    public DbSet<Account> Accounts => Set<Account>();

    /// <summary>Money movements.</summary>
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();

    /// <summary>Their postings.</summary>
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    /// <summary>Answers kept for Idempotency-Keys.</summary>
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>Signed-in sessions.</summary>
    public DbSet<Session> Sessions => Set<Session>();

    /// <summary>TOTP authenticators (second factors).</summary>
    public DbSet<TwoFactorKey> TwoFactorKeys => Set<TwoFactorKey>();

    /// <summary>Hashes of recovery codes.</summary>
    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    /// <summary>The login history.</summary>
    public DbSet<LoginAttempt> LoginAttempts => Set<LoginAttempt>();

    /// <summary>The audit trail.</summary>
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    /// <summary>Sequences of User IDs and account numbers.</summary>
    public DbSet<Counter> Counters => Set<Counter>();

    /// <summary>Mail waiting to go out, and what became of it.</summary>
    public DbSet<Notifications.OutboxMessage> OutboxMessages => Set<Notifications.OutboxMessage>();

    /// <summary>Claims of scheduled jobs on their periods.</summary>
    public DbSet<Jobs.JobRun> JobRuns => Set<Jobs.JobRun>();

    /// <summary>The keys that protect antiforgery tokens and other short-lived cookies, shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Which database this context talks to.</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Every IEntityTypeConfiguration in this assembly is one of the bank's mappings (Data Protection's keys too).
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BankDbContext).Assembly);

        // The naming convention also renames keys, foreign keys and indexes (pk_users, ix_users_role_id). The schema keeps
        // EF's own names (PK_users, IX_users_role_id): the migrations made them and SchemaIndexes finds indexes by them.
        // Setting null as a convention drops only the convention's name; a name a mapping gives would stay.
        foreach (IConventionEntityType entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var key in entity.GetDeclaredKeys())
            {
                key.Builder.HasName(null);
            }

            foreach (var foreignKey in entity.GetDeclaredForeignKeys())
            {
                foreignKey.Builder.HasConstraintName(null);
            }

            foreach (var index in entity.GetDeclaredIndexes())
            {
                index.Builder.HasDatabaseName(null);
            }
        }
    }

    /// <summary>
    /// Adds the snake_case naming to whatever options the context is built with (the pool, the design-time factories,
    /// tests, backups), so that no one can build it without. Not in <c>OnConfiguring</c>: a pooled context may not
    /// change its options there.
    /// </summary>
    private static DbContextOptions WithNaming(DbContextOptions options) =>
        new DbContextOptionsBuilder(options).UseSnakeCaseNamingConvention(CultureInfo.InvariantCulture).Options;
}

/// <summary>The supported databases (configuration key <c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, one writer at a time.</summary>
    Sqlite,

    /// <summary>Production: several instances, pooled connections.</summary>
    Postgres,
}
