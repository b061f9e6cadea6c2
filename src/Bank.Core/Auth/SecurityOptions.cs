using System.ComponentModel.DataAnnotations;

namespace Bank.Core.Auth;

/// <summary>Sign-in and session limits (section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    [Range(1, 100_000)]
    public int SignInAttemptsPerMinutePerIp { get; set; } = 30;

    [Range(1, 24 * 60)]
    public int IdleTimeoutMinutes { get; set; } = 15;

    [Range(1, 24 * 30)]
    public int AbsoluteSessionHours { get; set; } = 8;

    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 30;

    /// <summary>PBKDF2-HMAC-SHA512 iterations; never below the 210,000 the spec asks for.</summary>
    [Range(210_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>How many recent passwords may not be reused (the current one included).</summary>
    [Range(1, 24)]
    public int PasswordHistory { get; set; } = 4;

    /// <summary>
    /// Whether Super_Admins and Admins must use a second factor (TOTP): without one they enrol at sign-in before anything
    /// else. On by default; <c>appsettings.Development.json</c> turns it off for development.
    /// </summary>
    public bool RequireStaffTwoFactor { get; set; } = true;

    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(IdleTimeoutMinutes);

    public TimeSpan AbsoluteLifetime => TimeSpan.FromHours(AbsoluteSessionHours);
}
