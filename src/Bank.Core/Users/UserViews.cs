using System.Diagnostics.CodeAnalysis;
using Bank.Core.Accounts;

namespace Bank.Core.Users;

/// <summary>A user as lists show them (the seed's columns plus the derived activity status).</summary>
public record UserSummary
{
    /// <summary>The User ID.</summary>
    public required string UserId { get; init; }

    /// <summary>Given name.</summary>
    public required string FirstName { get; init; }

    /// <summary>Family name.</summary>
    public required string LastName { get; init; }

    /// <summary>Email as typed when the user was created.</summary>
    public required string Email { get; init; }

    /// <summary>Phone numbers in the order given.</summary>
    public required IReadOnlyList<string> PhoneNumbers { get; init; }

    /// <summary>The user's role.</summary>
    public required Role Role { get; init; }

    /// <summary>The user's gender.</summary>
    public required Gender Gender { get; init; }

    /// <summary>Date of birth.</summary>
    public required DateOnly DateOfBirth { get; init; }

    /// <summary>The stored status.</summary>
    public required UserStatus Status { get; init; }

    /// <summary>Whether the user signed in within 90 days.</summary>
    public required ActivityStatus ActivityStatus { get; init; }

    /// <summary>The last successful sign-in.</summary>
    public required DateTimeOffset? LastLoginAt { get; init; }
}

/// <summary>
/// Everything staff may see about one user: the list fields plus address, origin, password state, lockout and account,
/// and the administrative actions the viewer may take on them.
/// </summary>
public sealed record UserDetails : UserSummary
{
    /// <summary>The list fields of <paramref name="summary"/> and the rest.</summary>
    [SetsRequiredMembers]
    public UserDetails(
        UserSummary summary,
        UserAddress address,
        string? createdBy,
        DateTimeOffset createdAt,
        bool mustChangePassword,
        DateTimeOffset? lockedUntil,
        bool twoFactorEnabled,
        AccountView? account,
        UserActions actions)
        : base(summary)
    {
        Address = address;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        MustChangePassword = mustChangePassword;
        LockedUntil = lockedUntil;
        TwoFactorEnabled = twoFactorEnabled;
        Account = account;
        Actions = actions;
    }

    /// <summary>Where the user lives.</summary>
    public UserAddress Address { get; }

    /// <summary>The User ID of the administrator who created the user (none for the first Super_Admin).</summary>
    public string? CreatedBy { get; }

    /// <summary>When the user was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Whether the user still has a one-time password.</summary>
    public bool MustChangePassword { get; }

    /// <summary>Until when sign-in is locked; null when it is not.</summary>
    public DateTimeOffset? LockedUntil { get; }

    /// <summary>Whether the user has a confirmed second factor (TOTP).</summary>
    public bool TwoFactorEnabled { get; }

    /// <summary>The customer's account; null for staff.</summary>
    public AccountView? Account { get; }

    /// <summary>Each administrative action on the user: whether the viewer may take it now, and if not, why.</summary>
    public UserActions Actions { get; }
}

/// <summary>A postal address in India.</summary>
public sealed record UserAddress(string? Street, string City, string State);

/// <summary>The signed-in user, as they see themselves.</summary>
public sealed record SignedInUser(string UserId, string FirstName, string LastName, Role Role, UserStatus Status, bool MustChangePassword);

/// <summary>The user a service call created, with the password shown exactly once.</summary>
public sealed record CreatedUser(string UserId, string TemporaryPassword, string? AccountNumber);

/// <summary>Filters, sort and paging of the users list (the API's query names; pages bind the same record).</summary>
/// <param name="Q">Part of a User ID, name, email or phone number.</param>
/// <param name="Role">A role's name.</param>
/// <param name="Status">A stored status.</param>
/// <param name="Activity">Active or Inactive (signed in within 90 days or not).</param>
/// <param name="Sort">userId (default), -userId, name or -name.</param>
/// <param name="Cursor">The previous page's nextCursor.</param>
/// <param name="Limit">Users per page.</param>
public sealed record UserQuery(
    string? Q = null,
    string? Role = null,
    string? Status = null,
    string? Activity = null,
    string? Sort = null,
    string? Cursor = null,
    int? Limit = null) : IPageQuery;

/// <summary>A change of role and/or stored status, with the administrator's optional reason for the audit trail.</summary>
/// <param name="Role">The new role, or null to keep it.</param>
/// <param name="Status">The new stored status, or null to keep it.</param>
/// <param name="Reason">Why (optional, at most 200 characters); kept in the audit entry of the change.</param>
public sealed record UserChange(string? Role, string? Status, string? Reason = null);
