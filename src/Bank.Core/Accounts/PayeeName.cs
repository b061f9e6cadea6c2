using System.Globalization;

namespace Bank.Core.Accounts;

/// <summary>
/// How one customer's name is shown to another (the payee at a transfer's review, the other party of a transfer line): the
/// first name as registered and the initial of the last name, "Ravi K.". Enough for a payer to recognise the person they
/// mean; not the full name, which with an account number is more than a stranger who typed the number needs. Staff see
/// full names.
/// </summary>
public static class PayeeName
{
    /// <summary>"Ravi K." for Ravi Kumar; the whole first name when there is no last name.</summary>
    public static string Masked(string firstName, string? lastName)
    {
        var first = firstName.Trim();
        var last = lastName?.Trim() ?? "";
        if (last.Length == 0)
        {
            return first;
        }

        // The first text element, not the first char: a Devanagari or accented initial may be several chars.
        var initial = StringInfo.GetNextTextElement(last).ToUpper(CultureInfo.InvariantCulture);
        return $"{first} {initial}.";
    }

    /// <summary>The full name, for staff.</summary>
    public static string Full(string firstName, string? lastName) => $"{firstName.Trim()} {lastName?.Trim()}".Trim();

    /// <summary>The name as a viewer may see it: staff the full name, a customer the masked one.</summary>
    public static string? For(bool staffView, string? firstName, string? lastName) =>
        firstName is null ? null : staffView ? Full(firstName, lastName) : Masked(firstName, lastName);
}
