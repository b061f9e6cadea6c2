using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bank.Core.Auth;

/// <summary>Table <c>sessions</c>: keyed by the SHA-256 of the secret token.</summary>
internal sealed class SessionMapping : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> e)
    {
        e.ToTable("sessions");
        e.Property(s => s.Id).HasMaxLength(64);
        e.Property(s => s.Channel).HasConversion<string>().HasMaxLength(10);
        e.Property(s => s.RevokedReason).HasMaxLength(100);
        e.Property(s => s.IpAddress).HasMaxLength(64);
        e.Property(s => s.UserAgent).HasMaxLength(512);
        e.Property(s => s.TwoFactorPending).HasConversion<string>().HasMaxLength(10);
        e.HasIndex(s => new { s.UserId, s.RevokedAt });
        e.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Table <c>login_attempts</c>: the login history, newest first per user.</summary>
internal sealed class LoginAttemptMapping : IEntityTypeConfiguration<LoginAttempt>
{
    public void Configure(EntityTypeBuilder<LoginAttempt> e)
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
    }
}

/// <summary>Table <c>two_factor_keys</c>: one TOTP authenticator per user, its secret protected.</summary>
internal sealed class TwoFactorKeyMapping : IEntityTypeConfiguration<TwoFactorKey>
{
    public void Configure(EntityTypeBuilder<TwoFactorKey> e)
    {
        e.ToTable("two_factor_keys");
        e.HasKey(k => k.UserId);
        e.Property(k => k.UserId).ValueGeneratedNever();
        e.Property(k => k.ProtectedSecret).HasMaxLength(1000);
        e.HasOne<User>().WithOne().HasForeignKey<TwoFactorKey>(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Table <c>recovery_codes</c>: hashes of a user's recovery codes.</summary>
internal sealed class RecoveryCodeMapping : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> e)
    {
        e.ToTable("recovery_codes");
        e.Property(r => r.CodeHash).HasMaxLength(64);
        e.HasIndex(r => new { r.UserId, r.CodeHash }).IsUnique();
        e.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
