namespace Bank.Core.Users;

/// <summary>A person who signs in: staff or customer.</summary>
public sealed class User
{
    /// <summary>A user is Active by activity when they signed in within this many days.</summary>
    public const int ActivityWindowDays = 90;

    /// <summary>The numeric User ID (first is 56125810021); see <see cref="UserId"/>.</summary>
    public long Id { get; set; }

    /// <summary>The User ID as a value.</summary>
    public UserId UserId => new(Id);

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string Email { get; set; }

    /// <summary>Upper-case invariant form of <see cref="Email"/>, unique.</summary>
    public required string NormalizedEmail { get; set; }

    public DateOnly DateOfBirth { get; set; }

    public Gender Gender { get; set; }

    public string? Street { get; set; }

    public required string City { get; set; }

    public required string State { get; set; }

    public Role Role { get; set; }

    public UserStatus Status { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    public required string PasswordHash { get; set; }

    public bool MustChangePassword { get; set; }

    public DateTimeOffset PasswordChangedAt { get; set; }

    public int AccessFailedCount { get; set; }

    public DateTimeOffset? LockoutEnd { get; set; }

    public List<UserPhone> Phones { get; set; } = [];

    /// <summary>First and last name.</summary>
    public string FullName => $"{FirstName} {LastName}";

    /// <summary>The unique, case-insensitive form of an email address.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    /// <summary>Whether the user signed in within <see cref="ActivityWindowDays"/> days of <paramref name="now"/>.</summary>
    public ActivityStatus ActivityAt(DateTimeOffset now) =>
        LastLoginAt is { } last && last > now.AddDays(-ActivityWindowDays) ? ActivityStatus.Active : ActivityStatus.Inactive;
}

/// <summary>Queries of <see cref="User"/>s.</summary>
internal static class UserQueries
{
    /// <summary>The Super_Admins who may act now (the last of them must stay one).</summary>
    public static IQueryable<User> ActiveSuperAdmins(this IQueryable<User> users) =>
        users.Where(u => u.Role == Role.SuperAdmin && u.Status == UserStatus.Active);
}

/// <summary>One of a user's phone numbers; 10 digits, unique across all users.</summary>
public sealed class UserPhone
{
    public required string Number { get; set; }

    public long UserId { get; set; }

    public int Position { get; set; }
}

/// <summary>A password hash the user had, so that the last few are not reused.</summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
