using System.Text;

namespace Bank.Core.Audit;

/// <summary>
/// The optional reason an administrator gives for an action on a user or an account (a role or status change, a password
/// or second-factor reset, an unlock, a freeze, an unfreeze, a close). It is kept in the details of that action's audit
/// entry, after what changed: <c>Customer -> Employee; reason: moved to the branch team</c>.
/// </summary>
public static class AuditReason
{
    /// <summary>The longest reason accepted (characters, after trimming).</summary>
    public const int MaxLength = 200;

    /// <summary>The field name of the reason in bodies, forms and field errors.</summary>
    public const string Field = "reason";

    /// <summary>
    /// The reason as it is kept: trimmed, each run of white space (line breaks included) made one space; null when blank.
    /// Longer than <see cref="MaxLength"/> or with control characters is an error on <see cref="Field"/>.
    /// </summary>
    public static string? Validate(string? reason, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }

        var text = new StringBuilder(reason.Length);
        foreach (var c in reason.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (text.Length == 0 || text[^1] != ' ')
                {
                    text.Append(' ');
                }
            }
            else if (char.IsControl(c))
            {
                errors.Add(Field, "The reason may not contain control characters.");
                return null;
            }
            else
            {
                text.Append(c);
            }
        }

        if (text.Length > MaxLength)
        {
            errors.Add(Field, $"The reason may be at most {MaxLength} characters long (it has {text.Length}).");
            return null;
        }

        return StoredText.Clip(text.ToString(), MaxLength);
    }

    /// <summary>An audit detail with the reason after it (or alone), or the detail as it was when there is no reason.</summary>
    public static string? Append(string? details, string? reason) => reason is null
        ? details
        : details is null ? $"reason: {reason}" : $"{details}; reason: {reason}";
}
