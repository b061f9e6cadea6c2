using Bank.Core.Users;

namespace Bank.Core;

/// <summary>The signed-in user on whose behalf a service acts.</summary>
public sealed record Actor(long UserId, Role Role, string? IpAddress = null, string? SessionId = null);

/// <summary>Where a request came from, for login history and the audit trail.</summary>
public sealed record ClientInfo(string? IpAddress, string? UserAgent)
{
    public string? TrimmedUserAgent => UserAgent is { Length: > 512 } ua ? ua[..512] : UserAgent;
}

/// <summary>One page of a list, with the opaque cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
