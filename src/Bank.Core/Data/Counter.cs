using Bank.Core.Accounts;
using Bank.Core.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bank.Core.Data;

/// <summary>A named sequence (User IDs, account numbers) advanced with UPDATE … RETURNING inside the creating transaction.</summary>
public sealed class Counter
{
    /// <summary>One of <see cref="CounterNames"/>.</summary>
    public required string Name { get; set; }

    /// <summary>The last value handed out.</summary>
    public long Value { get; set; }
}

/// <summary>The counters the bank keeps.</summary>
public static class CounterNames
{
    /// <summary>User IDs.</summary>
    public const string UserId = "user_id";

    /// <summary>The 11-digit bodies of account numbers.</summary>
    public const string AccountNumber = "account_number";
}

/// <summary>Named sequences advanced inside the current transaction with UPDATE … RETURNING (same SQL on both databases).</summary>
public static class Counters
{
    /// <summary>The next value of a counter; a rolled-back transaction gives its value back.</summary>
    public static Task<long> NextAsync(BankDbContext db, string name, CancellationToken ct) => TakeAsync(db, name, 1, ct);

    /// <summary>
    /// The first of <paramref name="count"/> consecutive values of a counter, taken at once (bulk loads); the counter is left at the
    /// last of them. The same single UPDATE … RETURNING, so concurrent takers get disjoint blocks.
    /// </summary>
    public static async Task<long> TakeAsync(BankDbContext db, string name, int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var last = await Sql.Int64OrNullAsync(db, "UPDATE counters SET value = value + @count WHERE name = @name RETURNING value", ct, ("@count", (long)count), ("@name", name))
            ?? throw new InvalidOperationException($"Counter '{name}' is missing.");
        return last - count + 1;
    }
}

/// <summary>Table <c>counters</c>, seeded just before the first User ID and the first account number.</summary>
internal sealed class CounterMapping : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> e)
    {
        e.ToTable("counters");
        e.HasKey(c => c.Name);
        e.Property(c => c.Name).HasMaxLength(50);
        e.HasData(
            new Counter { Name = CounterNames.UserId, Value = UserId.First.Value - 1 },
            new Counter { Name = CounterNames.AccountNumber, Value = AccountNumber.FirstBody - 1 });
    }
}

/// <summary>Table <c>data_protection_keys</c>: the keys behind antiforgery tokens, shared by every instance.</summary>
internal sealed class DataProtectionKeyMapping : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> e) => e.ToTable("data_protection_keys");
}
