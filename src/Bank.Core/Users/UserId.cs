using System.Globalization;

namespace Bank.Core.Users;

/// <summary>
/// A User ID: a generated number (the first is 56125810021, SPEC §2), written as plain digits. Parsed here once, from
/// whatever people and clients type, so that nothing else reads User IDs by hand.
/// </summary>
public readonly record struct UserId(long Value)
{
    /// <summary>The first User ID handed out (the seed's scheme); the bootstrap Super_Admin has it.</summary>
    public static readonly UserId First = new(56125810021);

    /// <summary>A User ID typed as 1 to 18 digits (surrounding spaces allowed).</summary>
    public static bool TryParse(string? text, out UserId id)
    {
        id = default;
        var digits = text?.Trim();
        if (digits is not { Length: > 0 and <= 18 } || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        id = new UserId(long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>The User ID as people see it: its digits.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
