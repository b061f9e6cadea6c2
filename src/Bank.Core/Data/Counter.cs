namespace Bank.Core.Data;

/// <summary>A named sequence (User IDs, account numbers) advanced with UPDATE … RETURNING inside the creating transaction.</summary>
public sealed class Counter
{
    public required string Name { get; set; }

    /// <summary>The last value handed out.</summary>
    public long Value { get; set; }
}

public static class CounterNames
{
    public const string UserId = "user_id";
    public const string AccountNumber = "account_number";
}
