namespace Bank.Core.Tests.Vocabulary;

/// <summary>The failure table: each refusal once, with a stable code and a title.</summary>
public sealed class FailureTypesTests
{
    [Fact]
    public void Every_row_has_its_own_lower_case_code_and_a_title()
    {
        var codes = FailureTypes.All.Select(t => t.Code).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(FailureTypes.All, t => Assert.Matches("^[a-z]+(-[a-z]+)*$", t.Code));
        Assert.All(FailureTypes.All, t => Assert.False(string.IsNullOrWhiteSpace(t.Title)));
        // Every row the class declares is in the list (the API reference and the web mapping read the list).
        var declared = typeof(FailureTypes).GetFields().Where(f => f.FieldType == typeof(FailureType)).Select(f => (FailureType)f.GetValue(null)!);
        Assert.Equal(declared.Select(t => t.Code).Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
    }
}
