using System.Diagnostics.CodeAnalysis;

namespace Bank.Core;

/// <summary>Why a service refused a request: its type (one row of <see cref="FailureTypes"/>), a human message and, for bad input, errors per field.</summary>
public sealed record Failure(FailureType Type, string Message, IReadOnlyDictionary<string, string[]>? FieldErrors = null)
{
    /// <summary>The stable code of the failure's type (the last segment of the API's problem type).</summary>
    public string Code => Type.Code;

    /// <summary>Bad input: every field with what is wrong with it.</summary>
    public static Failure Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(FailureTypes.Validation, "One or more fields are invalid.", errors);

    /// <summary>Bad input in one field.</summary>
    public static Failure Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Nothing the actor may see has this identity.</summary>
    public static Failure NotFound(string message) => new(FailureTypes.NotFound, message);

    /// <summary>The actor's role or ownership does not allow this.</summary>
    public static Failure Forbidden(string message) => new(FailureTypes.Forbidden, message);

    /// <inheritdoc/>
    public override string ToString() => FieldErrors is null
        ? $"{Code}: {Message}"
        : $"{Code}: {Message} " + string.Join("; ", FieldErrors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}

/// <summary>Makes <see cref="Result{T}"/> values without naming the type twice.</summary>
public static class Result
{
    /// <summary>A successful result.</summary>
    public static Result<T> Ok<T>(T value) => new(value, null);

    /// <summary>The result of a unit of work that has no value to return but "done".</summary>
    public static Result<bool> Done { get; } = Ok(true);
}

/// <summary>The value of a service call, or the <see cref="Failure"/> that stopped it.</summary>
public readonly record struct Result<T>
{
    internal Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value; meaningful only when <see cref="Succeeded"/> (tests read it directly; code uses <see cref="TryGet"/>).</summary>
    public T? Value { get; }

    /// <summary>Why the call was refused; null when it succeeded.</summary>
    public Failure? Failure { get; }

    /// <summary>Whether the call succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    /// <summary>The value when the call succeeded, or its failure.</summary>
    public bool TryGet([MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out Failure? failure)
    {
        value = Value;
        failure = Failure;
        return failure is null;
    }

    /// <summary>The value passed through <paramref name="map"/>, or the same failure.</summary>
    public Result<TOut> Map<TOut>(Func<T, TOut> map) => Failure is null ? new(map(Value!), null) : new(default, Failure);

    /// <summary>One of two answers: for the value, or for the failure.</summary>
    public TOut Match<TOut>(Func<T, TOut> succeeded, Func<Failure, TOut> failed) => Failure is null ? succeeded(Value!) : failed(Failure);

    /// <summary>A success (for every T but interfaces, which C# does not convert implicitly; use <see cref="Result.Ok{T}"/>).</summary>
    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>A refusal.</summary>
    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}

/// <summary>Errors collected per field, in the order found.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>Whether any field has an error.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Notes what is wrong with a field.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>
    /// The value named by <paramref name="text"/> (its wire name, any case), or null when the text is blank;
    /// text that names no value is an error on <paramref name="field"/> listing the choices.
    /// </summary>
    public TEnum? Parse<TEnum>(string field, string? text)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (EnumText.TryParse<TEnum>(text, out var value))
        {
            return value;
        }

        Add(field, EnumText.MustBeOneOf<TEnum>());
        return null;
    }

    /// <summary>
    /// Like <see cref="Parse{TEnum}"/>, but blank text is an error too: <paramref name="missing"/>, or the list of
    /// choices when none is given.
    /// </summary>
    public TEnum? Required<TEnum>(string field, string? text, string? missing = null)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Add(field, missing ?? EnumText.MustBeOneOf<TEnum>());
            return null;
        }

        return Parse<TEnum>(field, text);
    }

    /// <summary>The errors, or null when there are none.</summary>
    public Failure? ToFailure() => Any ? Failure.Validation(ToDictionary()) : null;

    /// <summary>The errors as field → messages.</summary>
    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
