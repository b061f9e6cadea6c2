namespace Bank.Core.Auth;

/// <summary>A signed-in session, shared by the browser cookie and the API bearer token.</summary>
public sealed class Session
{
    /// <summary>SHA-256 of the secret token (hex); the token itself is never stored.</summary>
    public required string Id { get; set; }

    /// <summary>Whose session it is.</summary>
    public long UserId { get; set; }

    /// <summary>Cookie (web) or bearer token (API).</summary>
    public Channel Channel { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Its last request (refreshed at most every 30 seconds).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The end of its absolute lifetime.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was ended early (sign-out, password change, status change).</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Why it was ended.</summary>
    public string? RevokedReason { get; set; }

    /// <summary>The address it started from.</summary>
    public string? IpAddress { get; set; }

    /// <summary>The browser or client it started from.</summary>
    public string? UserAgent { get; set; }

    /// <summary>What the session still has to do about the second factor; null once the sign-in is complete.</summary>
    public TwoFactorStep? TwoFactorPending { get; set; }
}

/// <summary>One sign-in attempt, successful or not.</summary>
public sealed class LoginAttempt
{
    /// <summary>Order of the attempts.</summary>
    public long Id { get; set; }

    /// <summary>What was typed as User ID (trimmed, at most 64 characters).</summary>
    public required string UserIdentifier { get; set; }

    /// <summary>The user, when the identifier named one.</summary>
    public long? UserId { get; set; }

    /// <summary>Whether a session was started.</summary>
    public bool Succeeded { get; set; }

    /// <summary>What happened.</summary>
    public LoginOutcome Outcome { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>From which address.</summary>
    public string? IpAddress { get; set; }

    /// <summary>From which browser or client.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Through the web pages or the API.</summary>
    public Channel Channel { get; set; }
}

/// <summary>How a sign-in attempt ended.</summary>
public enum LoginOutcome
{
    /// <summary>Signed in.</summary>
    Success,

    /// <summary>The password was wrong.</summary>
    WrongPassword,

    /// <summary>No user has the typed User ID.</summary>
    UnknownUser,

    /// <summary>The right password, but the account was locked.</summary>
    LockedOut,

    /// <summary>The right password, but the user is not Active.</summary>
    NotActive,
}
