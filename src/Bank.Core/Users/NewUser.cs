using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Bank.Core.Users;

/// <summary>What an administrator types to create a user; every field is checked by <see cref="Validate"/>.</summary>
public sealed record NewUser(
    string? FirstName,
    string? LastName,
    string? Email,
    string? DateOfBirth,
    IReadOnlyList<string?>? PhoneNumbers,
    string? Gender,
    string? Street,
    string? City,
    string? State,
    string? Role)
{
    /// <summary>How many phone numbers a user may have.</summary>
    public const int MaxPhoneNumbers = 5;

    /// <summary>The checked and normalised form of a <see cref="NewUser"/>.</summary>
    public sealed record Valid(
        string FirstName,
        string LastName,
        string Email,
        DateOnly DateOfBirth,
        IReadOnlyList<string> PhoneNumbers,
        Gender Gender,
        string? Street,
        string City,
        string State,
        Role Role)
    {
        /// <summary>
        /// The user row this makes (phones not included): the profile as checked, with the password hash both as the
        /// password and as when it was set, at <paramref name="createdAt"/>.
        /// </summary>
        internal User ToUser(long id, UserStatus status, long? createdById, DateTimeOffset createdAt, string passwordHash, bool mustChangePassword) => new()
        {
            Id = id,
            FirstName = FirstName,
            LastName = LastName,
            Email = Email,
            NormalizedEmail = User.NormalizeEmail(Email),
            DateOfBirth = DateOfBirth,
            Gender = Gender,
            Street = Street,
            City = City,
            State = State,
            Role = Role,
            Status = status,
            CreatedById = createdById,
            CreatedAt = createdAt,
            PasswordHash = passwordHash,
            PasswordChangedAt = createdAt,
            MustChangePassword = mustChangePassword,
        };
    }

    /// <summary>Checks every field (uniqueness excepted, which needs the database) and returns all errors at once.</summary>
    public Result<Valid> Validate(DateOnly today, int minimumAge)
    {
        var errors = new FieldErrors();
        var firstName = UserRules.Name(errors, "firstName", FirstName);
        var lastName = UserRules.Name(errors, "lastName", LastName);
        var email = UserRules.Email(errors, "email", Email);

        var role = errors.Required<Role>("role", Role, "A role is required.") ?? default;

        var dob = default(DateOnly);
        if (string.IsNullOrWhiteSpace(DateOfBirth))
        {
            errors.Add("dateOfBirth", "A date of birth is required.");
        }
        else if (!DateOnly.TryParseExact(DateOfBirth.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out dob))
        {
            errors.Add("dateOfBirth", "Must be a date written YYYY-MM-DD.");
        }
        else if (dob >= today)
        {
            errors.Add("dateOfBirth", "Must be in the past.");
        }
        else if (dob < new DateOnly(1900, 1, 1))
        {
            errors.Add("dateOfBirth", "Must be on or after 1900-01-01.");
        }
        else if (dob.AddYears(minimumAge) > today)
        {
            errors.Add("dateOfBirth", $"The user must be at least {minimumAge} years old.");
        }

        var gender = errors.Required<Gender>("gender", Gender, "A gender is required.") ?? default;

        var phones = UserRules.Phones(errors, PhoneNumbers);

        string? street = string.IsNullOrWhiteSpace(Street) ? null : Street.Trim();
        if (street is { Length: > 200 })
        {
            errors.Add("address.street", "Must be at most 200 characters long.");
        }

        string state = "", city = "";
        var knownState = ReferenceData.Instance.FindState(State);
        if (string.IsNullOrWhiteSpace(State))
        {
            errors.Add("address.state", "A state is required.");
        }
        else if (knownState is null)
        {
            errors.Add("address.state", "Must be one of the Indian states and union territories (see /api/v1/reference/states).");
        }
        else
        {
            state = knownState.Name;
        }

        if (string.IsNullOrWhiteSpace(City))
        {
            errors.Add("address.city", "A city is required.");
        }
        else if (knownState is not null)
        {
            if (knownState.FindCity(City) is { } known)
            {
                city = known;
            }
            else
            {
                errors.Add("address.city", $"Must be one of the cities of {knownState.Name}.");
            }
        }

        return errors.ToFailure() is { } invalid
            ? invalid
            : Result.Ok(new Valid(firstName!, lastName!, email!, dob, phones, gender, street, city, state, role));
    }
}

/// <summary>Field rules shared by every form that takes user data.</summary>
public static partial class UserRules
{
    /// <summary>A first or last name: 1–50 letters, spaces, apostrophes, dots and hyphens.</summary>
    public static string? Name(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Is required.");
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > 50)
        {
            errors.Add(field, "Must be at most 50 characters long.");
        }
        else if (!NamePattern().IsMatch(trimmed))
        {
            errors.Add(field, "May contain only letters, spaces, apostrophes, dots and hyphens.");
        }

        return trimmed;
    }

    /// <summary>An email address of a usual shape.</summary>
    public static string? Email(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "An email address is required.");
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > 254 || !EmailPattern().IsMatch(trimmed) || !MailAddress.TryCreate(trimmed, out _))
        {
            errors.Add(field, "Must be a valid email address such as name@example.com.");
        }

        return trimmed;
    }

    /// <summary>One to five distinct 10-digit phone numbers.</summary>
    public static List<string> Phones(FieldErrors errors, IReadOnlyList<string?>? values)
    {
        var phones = new List<string>();
        if (values is null || values.Count == 0 || values.All(string.IsNullOrWhiteSpace))
        {
            errors.Add("phoneNumbers", "At least one phone number is required.");
            return phones;
        }

        if (values.Count > NewUser.MaxPhoneNumbers)
        {
            errors.Add("phoneNumbers", $"At most {NewUser.MaxPhoneNumbers} phone numbers.");
            return phones;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var phone = values[i]?.Trim();
            var field = $"phoneNumbers[{i}]";
            if (string.IsNullOrEmpty(phone))
            {
                errors.Add(field, "Must not be empty.");
            }
            else if (phone.Length != 10 || !phone.All(char.IsAsciiDigit))
            {
                errors.Add(field, "Must be exactly 10 digits.");
            }
            else if (phones.Contains(phone))
            {
                errors.Add(field, "Is listed twice.");
            }
            else
            {
                phones.Add(phone);
            }
        }

        return phones;
    }

    [GeneratedRegex(@"^\p{L}[\p{L}\p{M} '.\-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
