namespace Bank.Core.Jobs;

/// <summary>This running instance of the bank, by a name unique among all instances (machine, process, and a random part).</summary>
public sealed class Instance
{
    /// <summary>The name written into claims (outbox messages, job runs).</summary>
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}
