using System.Reflection;
using System.Text.Json;

namespace Bank.Core.Users;

/// <summary>Indian states and union territories with their main cities, as the forms and the API offer them.</summary>
public sealed class ReferenceData
{
    private static readonly Lazy<ReferenceData> Loaded = new(Load);

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private readonly Dictionary<string, IndianState> _byName;

    private ReferenceData(IReadOnlyList<IndianState> states)
    {
        States = states;
        _byName = states.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
    }

    public static ReferenceData Instance => Loaded.Value;

    public IReadOnlyList<IndianState> States { get; }

    public IndianState? FindState(string? name) =>
        name is not null && _byName.TryGetValue(name.Trim(), out var state) ? state : null;

    private static ReferenceData Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Bank.Core.india-states-cities.json")
            ?? throw new InvalidOperationException("The states and cities list is not embedded.");
        var file = JsonSerializer.Deserialize<StatesFile>(stream, Json)
            ?? throw new InvalidOperationException("The states and cities list is empty.");
        return new ReferenceData(file.States);
    }

    private sealed record StatesFile(List<IndianState> States);
}

/// <summary>A state or union territory and its main cities.</summary>
public sealed record IndianState(string Name, string Type, IReadOnlyList<string> Cities)
{
    public string? FindCity(string? name) =>
        name is null ? null : Cities.FirstOrDefault(c => string.Equals(c, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
