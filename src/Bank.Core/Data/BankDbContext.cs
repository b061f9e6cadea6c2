using System.Text;
using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bank.Core.Data;

/// <summary>The one EF Core model. Each database has a subclass with its own migrations.</summary>
public abstract class BankDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The first User ID handed out (SPEC §2: the seed's scheme).</summary>
    public const long FirstUserId = 56125810021;

    public DbSet<User> Users => Set<User>();

    public DbSet<UserPhone> UserPhones => Set<UserPhone>();

    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<LoginAttempt> LoginAttempts => Set<LoginAttempt>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<Counter> Counters => Set<Counter>();

    /// <summary>The keys that protect antiforgery tokens and other short-lived cookies, shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var role = new ValueConverter<Role, string>(r => r.Name(), s => ParseRole(s));

        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).ValueGeneratedNever();
            e.Ignore(u => u.UserId);
            e.Ignore(u => u.FullName);
            e.Property(u => u.FirstName).HasMaxLength(50);
            e.Property(u => u.LastName).HasMaxLength(50);
            e.Property(u => u.Email).HasMaxLength(254);
            e.Property(u => u.NormalizedEmail).HasMaxLength(254);
            e.HasIndex(u => u.NormalizedEmail).IsUnique();
            e.Property(u => u.Street).HasMaxLength(200);
            e.Property(u => u.City).HasMaxLength(100);
            e.Property(u => u.State).HasMaxLength(100);
            e.Property(u => u.Gender).HasConversion<string>().HasMaxLength(10);
            e.Property(u => u.Role).HasConversion(role).HasMaxLength(20);
            e.Property(u => u.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(u => u.PasswordHash).HasMaxLength(512);
            e.HasIndex(u => new { u.Role, u.Id });
            e.HasIndex(u => new { u.Status, u.Id });
            e.HasIndex(u => u.LastLoginAt);
            e.HasMany(u => u.Phones).WithOne().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(u => u.CreatedById).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<UserPhone>(e =>
        {
            e.ToTable("user_phones");
            e.HasKey(p => p.Number);
            e.Property(p => p.Number).HasMaxLength(10);
            e.HasIndex(p => p.UserId);
        });

        modelBuilder.Entity<PasswordHistoryEntry>(e =>
        {
            e.ToTable("password_history");
            e.Property(p => p.PasswordHash).HasMaxLength(512);
            e.HasIndex(p => new { p.UserId, p.Id });
            e.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.Property(a => a.AccountNumber).HasMaxLength(AccountNumber.Length);
            e.HasIndex(a => a.AccountNumber).IsUnique();
            e.HasIndex(a => a.UserId);
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Branch).HasMaxLength(100);
            e.Property(a => a.Currency).HasMaxLength(3);
            e.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<LedgerTransaction>(e =>
        {
            e.ToTable("ledger_transactions");
            e.Property(t => t.TransactionId).HasMaxLength(32);
            e.HasIndex(t => t.TransactionId).IsUnique();
            e.Property(t => t.Type).HasConversion<string>().HasMaxLength(10);
            e.Property(t => t.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(t => t.Narration).HasMaxLength(LedgerService.NarrationMaxLength);
            e.HasIndex(t => t.CreatedAt);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.InitiatedByUserId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(t => t.Entries).WithOne().HasForeignKey(x => x.LedgerTransactionId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<LedgerEntry>(e =>
        {
            e.ToTable("ledger_entries");
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(10);
            // One index per way the lists filter, each ending in (created_at, id) for newest-first keyset paging.
            e.HasIndex(x => new { x.UserId, x.CreatedAt, x.Id });
            e.HasIndex(x => new { x.AccountId, x.CreatedAt, x.Id });
            e.HasIndex(x => new { x.CreatedAt, x.Id });
            e.HasIndex(x => new { x.Type, x.CreatedAt, x.Id });
            e.HasIndex(x => x.AmountPaise);
            e.HasIndex(x => x.LedgerTransactionId);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.CounterpartyAccountId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_records");
            e.HasKey(r => new { r.UserId, r.Key });
            e.Property(r => r.Key).HasMaxLength(LedgerService.IdempotencyKeyMaxLength);
            e.Property(r => r.RequestHash).HasMaxLength(64);
            e.Property(r => r.TransactionId).HasMaxLength(32);
            e.HasIndex(r => r.CreatedAt);
            e.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Session>(e =>
        {
            e.ToTable("sessions");
            e.Property(s => s.Id).HasMaxLength(64);
            e.Property(s => s.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(s => s.RevokedReason).HasMaxLength(100);
            e.Property(s => s.IpAddress).HasMaxLength(64);
            e.Property(s => s.UserAgent).HasMaxLength(512);
            e.HasIndex(s => new { s.UserId, s.RevokedAt });
            e.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<LoginAttempt>(e =>
        {
            e.ToTable("login_attempts");
            e.Property(l => l.UserIdentifier).HasMaxLength(64);
            e.Property(l => l.Outcome).HasConversion<string>().HasMaxLength(20);
            e.Property(l => l.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(l => l.IpAddress).HasMaxLength(64);
            e.Property(l => l.UserAgent).HasMaxLength(512);
            e.HasIndex(l => new { l.UserId, l.Id });
            e.HasIndex(l => l.At);
            e.HasOne<User>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEvent>(e =>
        {
            e.ToTable("audit_events");
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Details).HasMaxLength(1000);
            e.Property(a => a.IpAddress).HasMaxLength(64);
            e.HasIndex(a => new { a.TargetUserId, a.Id });
            e.HasIndex(a => a.At);
        });

        modelBuilder.Entity<Counter>(e =>
        {
            e.ToTable("counters");
            e.HasKey(c => c.Name);
            e.Property(c => c.Name).HasMaxLength(50);
            e.HasData(
                new Counter { Name = CounterNames.UserId, Value = FirstUserId - 1 },
                new Counter { Name = CounterNames.AccountNumber, Value = AccountNumber.FirstBody - 1 });
        });

        modelBuilder.Entity<DataProtectionKey>(e => e.ToTable("data_protection_keys"));

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static Role ParseRole(string name) =>
        Roles.TryParse(name, out var role) ? role : throw new InvalidOperationException($"Unknown role '{name}' in the database.");

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
    Sqlite,
    Postgres,
}
