using System.Text.Json.Serialization;

namespace Bank.Core.Auth;

/// <summary>
/// A user's TOTP authenticator (RFC 6238: SHA-1, 6 digits, 30 seconds): one row per user, pending until its first code
/// confirms it.
/// </summary>
public sealed class TwoFactorKey
{
    /// <summary>Whose authenticator it is (one per user).</summary>
    public long UserId { get; set; }

    /// <summary>The shared secret (Base32), protected by ASP.NET Core Data Protection; never stored in the clear.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>When the enrolment started.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the first code confirmed it; null while the enrolment is pending (it then protects nothing).</summary>
    public DateTimeOffset? EnabledAt { get; set; }

    /// <summary>The time step of the last accepted code: a code whose step is not later is refused (single use).</summary>
    public long? LastAcceptedStep { get; set; }
}

/// <summary>Queries of <see cref="TwoFactorKey"/>s.</summary>
internal static class TwoFactorKeys
{
    /// <summary>The user's confirmed authenticator (none while an enrolment is pending).</summary>
    public static IQueryable<TwoFactorKey> ConfirmedFor(this IQueryable<TwoFactorKey> keys, long userId) =>
        keys.Where(k => k.UserId == userId && k.EnabledAt != null);
}

/// <summary>One of a user's recovery codes, stored as the SHA-256 of its text; each is accepted once.</summary>
public sealed class RecoveryCode
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Whose code it is.</summary>
    public long UserId { get; set; }

    /// <summary>SHA-256 (hex) of the normalised code.</summary>
    public required string CodeHash { get; set; }

    /// <summary>When it was used; null while it is still good.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>What a session still has to do about its second factor before it opens anything but the two-factor routes.</summary>
public enum TwoFactorStep
{
    /// <summary>The user has a second factor: a code (or a recovery code) completes the sign-in.</summary>
    [JsonStringEnumMemberName("required")]
    Required,

    /// <summary>The user must enrol a second factor (<c>Security:RequireStaffTwoFactor</c>) before going on.</summary>
    [JsonStringEnumMemberName("enrol")]
    Enrol,
}

/// <summary>A new authenticator's secret, as text and as the <c>otpauth://</c> URI a QR code carries.</summary>
/// <param name="Secret">The Base32 secret, for typing into an authenticator app.</param>
/// <param name="OtpauthUri">The key URI (issuer, account, secret, SHA1, 6 digits, 30 s).</param>
public sealed record TwoFactorEnrolment(string Secret, string OtpauthUri);

/// <summary>The recovery codes of a confirmed second factor, shown once.</summary>
/// <param name="RecoveryCodes">Ten codes, each accepted once instead of an authenticator code.</param>
public sealed record RecoveryCodeList(IReadOnlyList<string> RecoveryCodes);
