using System.Collections.Frozen;
using System.Reflection;

namespace Bank.Core.Auth;

/// <summary>The password rules of SPEC §3: 12–128 characters, letters and digits, not a common password.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommon);

    public static int CommonPasswordCount => Common.Value.Count;

    /// <summary>The rule a password breaks, or null when it is acceptable (history is checked by the caller).</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "A password is required.";
        }

        if (password.Length < MinLength)
        {
            return $"Must be at least {MinLength} characters long.";
        }

        if (password.Length > MaxLength)
        {
            return $"Must be at most {MaxLength} characters long.";
        }

        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            return "Must contain both letters and digits.";
        }

        if (password.Any(char.IsControl))
        {
            return "Must not contain control characters.";
        }

        if (IsCommon(password))
        {
            return "This password is too common; choose one that is harder to guess.";
        }

        return null;
    }

    public static bool IsCommon(string password) => Common.Value.Contains(password.Trim().ToLowerInvariant());

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Bank.Core.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-passwords list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
