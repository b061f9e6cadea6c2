using Bank.Core.Accounts;

namespace Bank.Core.Users;

/// <summary>A user as lists show them.</summary>
public sealed record UserSummary(
    string UserId,
    string FirstName,
    string LastName,
    string Email,
    IReadOnlyList<string> PhoneNumbers,
    string Role,
    string Gender,
    DateOnly DateOfBirth,
    string Status,
    string ActivityStatus,
    DateTimeOffset? LastLoginAt);

/// <summary>Everything staff may see about one user.</summary>
public sealed record UserDetails(
    UserSummary User,
    UserAddress Address,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    bool MustChangePassword,
    DateTimeOffset? LockedUntil,
    AccountView? Account);

public sealed record UserAddress(string? Street, string City, string State);

/// <summary>The user a service call created, with the password shown exactly once.</summary>
public sealed record CreatedUser(string UserId, string TemporaryPassword, string? AccountNumber);

/// <summary>Filters and paging of the users list.</summary>
public sealed record UserQuery(
    string? Q = null,
    string? Role = null,
    string? Status = null,
    string? Activity = null,
    string? Sort = null,
    string? Cursor = null,
    int? Limit = null)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
}

/// <summary>A change of role and/or stored status.</summary>
public sealed record UserChange(string? Role, string? Status);
