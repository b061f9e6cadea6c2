namespace Bank.Core.Users;

/// <summary>The stored status of a user; only <see cref="Active"/> users can sign in.</summary>
public enum UserStatus
{
    Active,
    Inactive,
    Suspended,
    Pending,
}

/// <summary>Whether a user has signed in lately (derived, never stored).</summary>
public enum ActivityStatus
{
    Active,
    Inactive,
}

public enum Gender
{
    Male,
    Female,
    Other,
}

/// <summary>Parsing of the user enums from what people type (case-insensitive names only, never numbers).</summary>
public static class UserEnums
{
    /// <summary>A user is Active by activity when they signed in within this many days.</summary>
    public const int ActivityWindowDays = 90;

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }

    public static string Names<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
}
