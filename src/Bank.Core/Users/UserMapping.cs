using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bank.Core.Users;

/// <summary>Table <c>users</c>: one row per person, with the indexes the users list filters and sorts by.</summary>
internal sealed class UserMapping : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
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
        // Roles are stored as the bank writes them (Super_Admin), the other enums by their names.
        e.Property(u => u.Role).HasConversion(r => r.Name(), s => EnumText.Parse<Role>(s)).HasMaxLength(20);
        e.Property(u => u.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(u => u.PasswordHash).HasMaxLength(512);
        e.HasIndex(u => new { u.Role, u.Id });
        e.HasIndex(u => new { u.Status, u.Id });
        e.HasIndex(u => u.LastLoginAt);
        e.HasMany(u => u.Phones).WithOne().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(u => u.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Table <c>user_phones</c>: the number is the key, so that a phone belongs to one user only.</summary>
internal sealed class UserPhoneMapping : IEntityTypeConfiguration<UserPhone>
{
    public void Configure(EntityTypeBuilder<UserPhone> e)
    {
        e.ToTable("user_phones");
        e.HasKey(p => p.Number);
        e.Property(p => p.Number).HasMaxLength(10);
        e.HasIndex(p => p.UserId);
    }
}

/// <summary>Table <c>password_history</c>: recent hashes, newest last.</summary>
internal sealed class PasswordHistoryMapping : IEntityTypeConfiguration<PasswordHistoryEntry>
{
    public void Configure(EntityTypeBuilder<PasswordHistoryEntry> e)
    {
        e.ToTable("password_history");
        e.Property(p => p.PasswordHash).HasMaxLength(512);
        e.HasIndex(p => new { p.UserId, p.Id });
        e.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
