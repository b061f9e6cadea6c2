namespace Bank.Core.Auth;

/// <summary>A signed-in session, shared by the browser cookie and the API bearer token.</summary>
public sealed class Session
{
    /// <summary>SHA-256 of the secret token (hex); the token itself is never stored.</summary>
    public required string Id { get; set; }

    public long UserId { get; set; }

    public SessionChannel Channel { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedReason { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }
}

public enum SessionChannel
{
    Web,
    Api,
}

/// <summary>One sign-in attempt, successful or not.</summary>
public sealed class LoginAttempt
{
    public long Id { get; set; }

    /// <summary>What was typed as User ID (trimmed, at most 64 characters).</summary>
    public required string UserIdentifier { get; set; }

    /// <summary>The user, when the identifier named one.</summary>
    public long? UserId { get; set; }

    public bool Succeeded { get; set; }

    public LoginOutcome Outcome { get; set; }

    public DateTimeOffset At { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    public SessionChannel Channel { get; set; }
}

public enum LoginOutcome
{
    Success,
    WrongPassword,
    UnknownUser,
    LockedOut,
    NotActive,
}
