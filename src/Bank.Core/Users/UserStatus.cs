namespace Bank.Core.Users;

/// <summary>The stored status of a user; only <see cref="Active"/> users can sign in.</summary>
public enum UserStatus
{
    /// <summary>May sign in.</summary>
    Active,

    /// <summary>Switched off by the bank.</summary>
    Inactive,

    /// <summary>Stopped for a reason (for example, suspected fraud).</summary>
    Suspended,

    /// <summary>Not yet approved.</summary>
    Pending,
}

/// <summary>Whether a user has signed in within <see cref="User.ActivityWindowDays"/> days (derived, never stored).</summary>
public enum ActivityStatus
{
    /// <summary>Signed in lately.</summary>
    Active,

    /// <summary>No sign-in lately, or never.</summary>
    Inactive,
}

/// <summary>A user's gender, as the bank records it.</summary>
public enum Gender
{
    /// <summary>Male.</summary>
    Male,

    /// <summary>Female.</summary>
    Female,

    /// <summary>Another gender, or not said.</summary>
    Other,
}
