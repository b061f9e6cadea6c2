namespace Bank.Core;

/// <summary>Why a service refused a request: a stable code, a human message and, for bad input, errors per field.</summary>
public sealed record Failure(string Code, string Message, IReadOnlyDictionary<string, string[]>? FieldErrors = null)
{
    public static Failure Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(FailureCodes.Validation, "One or more fields are invalid.", errors);

    public static Failure Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static Failure NotFound(string message) => new(FailureCodes.NotFound, message);

    public static Failure Forbidden(string message) => new(FailureCodes.Forbidden, message);
}

/// <summary>The stable failure codes; the web layer maps each to one HTTP status and problem type.</summary>
public static class FailureCodes
{
    public const string Validation = "validation";
    public const string NotFound = "not-found";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    public const string LastSuperAdmin = "last-super-admin";
    public const string InvalidCredentials = "invalid-credentials";
    public const string AccountLocked = "account-locked";
    public const string UserNotActive = "user-not-active";
    public const string PasswordChangeRequired = "password-change-required";
}

/// <summary>The value of a service call, or the <see cref="Failure"/> that stopped it.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(Failure failure) => new(default, failure);

    public static implicit operator Result<T>(Failure failure) => Fail(failure);
}

/// <summary>Errors collected per field, in the order found.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
