using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bank.Core.Accounts;

/// <summary>Table <c>accounts</c>. <see cref="LedgerSql"/> updates its balance and status columns by hand.</summary>
internal sealed class AccountMapping : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> e)
    {
        e.ToTable("accounts");
        e.Property(a => a.AccountNumber).HasMaxLength(AccountNumber.Length);
        e.HasIndex(a => a.AccountNumber).IsUnique();
        e.HasIndex(a => a.UserId);
        // Enums are stored by name: LedgerSql compares status and kind with these names.
        e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(a => a.Branch).HasMaxLength(100);
        e.Property(a => a.Currency).HasMaxLength(3);
        e.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Table <c>ledger_transactions</c>: one row per movement, found by its public id.</summary>
internal sealed class LedgerTransactionMapping : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> e)
    {
        e.ToTable("ledger_transactions");
        e.Property(t => t.TransactionId).HasMaxLength(32);
        e.HasIndex(t => t.TransactionId).IsUnique();
        e.Property(t => t.Type).HasConversion<string>().HasMaxLength(10);
        e.Property(t => t.Channel).HasConversion<string>().HasMaxLength(10);
        e.Property(t => t.Narration).HasMaxLength(LedgerTransaction.NarrationMaxLength);
        e.HasIndex(t => t.CreatedAt);
        e.HasOne<User>().WithMany().HasForeignKey(t => t.InitiatedByUserId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(t => t.Entries).WithOne().HasForeignKey(x => x.LedgerTransactionId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Table <c>ledger_entries</c>: the postings, and the statement lines every list reads.</summary>
internal sealed class LedgerEntryMapping : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> e)
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
    }
}

/// <summary>Table <c>idempotency_records</c>: the key per user is the primary key, which settles racing retries.</summary>
internal sealed class IdempotencyRecordMapping : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> e)
    {
        e.ToTable("idempotency_records");
        e.HasKey(r => new { r.UserId, r.Key });
        e.Property(r => r.Key).HasMaxLength(IdempotencyRecord.KeyMaxLength);
        e.Property(r => r.RequestHash).HasMaxLength(64);
        e.Property(r => r.TransactionId).HasMaxLength(32);
        e.HasIndex(r => r.CreatedAt);
        e.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
