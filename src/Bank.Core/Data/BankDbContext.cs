using System.Text;
using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Data;

/// <summary>
/// The one EF Core model. Each feature maps its own tables (<c>*Mapping</c> classes beside its entities); every
/// column is snake_case. Each database has a subclass with its own migrations.
/// </summary>
public abstract class BankDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
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
        modelBuilder
            .ApplyConfiguration(new UserMapping())
            .ApplyConfiguration(new UserPhoneMapping())
            .ApplyConfiguration(new PasswordHistoryMapping())
            .ApplyConfiguration(new AccountMapping())
            .ApplyConfiguration(new LedgerTransactionMapping())
            .ApplyConfiguration(new LedgerEntryMapping())
            .ApplyConfiguration(new IdempotencyRecordMapping())
            .ApplyConfiguration(new SessionMapping())
            .ApplyConfiguration(new LoginAttemptMapping())
            .ApplyConfiguration(new TwoFactorKeyMapping())
            .ApplyConfiguration(new RecoveryCodeMapping())
            .ApplyConfiguration(new AuditEventMapping())
            .ApplyConfiguration(new CounterMapping())
            .ApplyConfiguration(new Notifications.OutboxMessageMapping())
            .ApplyConfiguration(new Jobs.JobRunMapping())
            .ApplyConfiguration(new DataProtectionKeyMapping());

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}

/// <summary>The supported databases (configuration key <c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, one writer at a time.</summary>
    Sqlite,

    /// <summary>Production: several instances, pooled connections.</summary>
    Postgres,
}
