using System.Text.Json.Serialization;
using Bank.Core.Users;

namespace Bank.Core;

/// <summary>The signed-in user on whose behalf a service acts.</summary>
public sealed record Actor(UserId UserId, Role Role, string? IpAddress = null, string? SessionId = null);

/// <summary>Where a request came from, for login history and the audit trail.</summary>
public sealed record ClientInfo(string? IpAddress, string? UserAgent)
{
    /// <summary>At most 512 characters of the user agent, as stored.</summary>
    public string? TrimmedUserAgent => UserAgent is null ? null : StoredText.Clip(UserAgent, 512);
}

/// <summary>The door a user came through: the browser's pages or the API.</summary>
public enum Channel
{
    /// <summary>The web pages (session cookie).</summary>
    [JsonStringEnumMemberName("web")]
    Web,

    /// <summary>The REST API (bearer token).</summary>
    [JsonStringEnumMemberName("api")]
    Api,
}
