using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Bank.Core;

/// <summary>
/// The one way enums become text and text becomes enums. An enum's text is its wire name: the member's
/// <see cref="JsonStringEnumMemberNameAttribute"/> where it has one (<c>Super_Admin</c>, <c>credit</c>), else its name
/// (<c>Active</c>). The API's JSON converter writes the same names, so what a client reads is what it may send back.
/// Parsing ignores case and surrounding spaces and never accepts numbers.
/// </summary>
public static class EnumText
{
    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string Name<TEnum>(this TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>The value whose wire name is <paramref name="text"/> (any case, trimmed).</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return text is not null && Names<TEnum>.ByName.TryGetValue(text.Trim(), out value);
    }

    /// <summary>The value whose wire name is <paramref name="text"/>, for text the bank wrote itself (a database column).</summary>
    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name}.");

    /// <summary>Every value's wire name, in declaration order, separated by commas.</summary>
    public static string Choices<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Names<TEnum>.InOrder);

    /// <summary>The validation message for text that names no value.</summary>
    public static string MustBeOneOf<TEnum>()
        where TEnum : struct, Enum => $"Must be one of {Choices<TEnum>()}.";

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly IReadOnlyList<string> InOrder = Enum.GetValues<TEnum>().Select(WireName).ToList();

        public static readonly FrozenDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, WireName);

        public static readonly FrozenDictionary<string, TEnum> ByName =
            Enum.GetValues<TEnum>().ToFrozenDictionary(WireName, v => v, StringComparer.OrdinalIgnoreCase);

        private static string WireName(TEnum value)
        {
            var name = value.ToString();
            return typeof(TEnum).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
        }
    }
}
