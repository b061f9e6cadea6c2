using System.Security.Cryptography;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OtpNet;

namespace Bank.Core.Auth;

/// <summary>
/// The second factor: a TOTP authenticator (RFC 6238; SHA-1, 6 digits, 30 seconds, the app's clock) with ten recovery
/// codes. Enrolment is pending until a first code confirms it; each code is accepted once (its time step must be later
/// than the last accepted one, by a conditional update); wrong codes count toward the account's one lockout.
/// </summary>
public sealed class TwoFactorService(
    BankDbContext db,
    WriteGate gate,
    SessionService sessions,
    Lockout lockout,
    AuditTrail audit,
    TimeProvider clock,
    IDataProtectionProvider protection,
    IOptions<SecurityOptions> options)
{
    /// <summary>How many recovery codes a confirmed second factor gets.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>The issuer an authenticator app shows beside the code.</summary>
    public const string Issuer = "Bank";

    private const string RecoveryAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    private const string WrongCode = "This code is not right, or it was used already. Wait for the next code and try again.";
    private const string WrongRecoveryCode = "This recovery code is not right, or it was used already.";

    private IDataProtector Protector => protection.CreateProtector("Bank.Core.Auth.TwoFactorKey.Secret");

    /// <summary>What a session started now for <paramref name="user"/> must do about the second factor, if anything.</summary>
    public async Task<TwoFactorStep?> StepAtSignInAsync(User user, CancellationToken ct)
    {
        if (await db.TwoFactorKeys.ConfirmedFor(user.Id).AnyAsync(ct))
        {
            return TwoFactorStep.Required;
        }

        return options.Value.RequireStaffTwoFactor && user.Role is Role.SuperAdmin or Role.Admin ? TwoFactorStep.Enrol : null;
    }

    /// <summary>Whether the user has a confirmed second factor.</summary>
    public Task<bool> IsEnabledAsync(UserId userId, CancellationToken ct) =>
        db.TwoFactorKeys.ConfirmedFor(userId.Value).AnyAsync(ct);

    /// <summary>
    /// Starts (or restarts) the actor's enrolment with a new random secret; nothing changes at sign-in until
    /// <see cref="ConfirmAsync"/>. Refused while a confirmed second factor exists (an administrator resets it).
    /// </summary>
    public Task<Result<TwoFactorEnrolment>> EnrolAsync(Actor actor, CancellationToken ct) =>
        gate.WriteAsync(db, async t =>
        {
            var key = await db.TwoFactorKeys.FirstOrDefaultAsync(k => k.UserId == actor.UserId.Value, t);
            if (key?.EnabledAt is not null)
            {
                return AlreadyOn();
            }

            var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
            if (key is null)
            {
                key = new TwoFactorKey { UserId = actor.UserId.Value, ProtectedSecret = "" };
                db.TwoFactorKeys.Add(key);
            }

            key.ProtectedSecret = Protector.Protect(secret);
            key.CreatedAt = clock.GetUtcNow();
            key.LastAcceptedStep = null;
            return Result.Ok(Enrolment(actor.UserId, secret));
        }, ct);

    /// <summary>The actor's enrolment waiting for its first code (to show its QR code again).</summary>
    public async Task<Result<TwoFactorEnrolment>> PendingAsync(Actor actor, CancellationToken ct)
    {
        var key = await db.TwoFactorKeys.AsNoTracking().FirstOrDefaultAsync(k => k.UserId == actor.UserId.Value && k.EnabledAt == null, ct);
        return key is not null && Secret(key) is { } secret
            ? Enrolment(actor.UserId, secret)
            : Failure.NotFound("No enrolment is waiting for its first code: start one.");
    }

    /// <summary>
    /// Confirms the pending enrolment with a code from the authenticator: the second factor is on from now, this session
    /// is complete, the user's other sessions end, and ten recovery codes are returned (shown once, stored hashed).
    /// </summary>
    public async Task<Result<RecoveryCodeList>> ConfirmAsync(Actor actor, string? code, CancellationToken ct)
    {
        if (await LockedAsync(actor, ct))
        {
            return Lockout.Locked();
        }

        var key = await db.TwoFactorKeys.AsNoTracking().FirstOrDefaultAsync(k => k.UserId == actor.UserId.Value, ct);
        if (key is null || Secret(key) is not { } secret)
        {
            return FailureTypes.Conflict.Because("No enrolment is waiting for its first code: start one (POST /api/v1/auth/two-factor/enrol).");
        }

        if (key.EnabledAt is not null)
        {
            return AlreadyOn();
        }

        if (CheckFormat(code) is { } invalid)
        {
            return invalid;
        }

        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        var confirmed = Step(secret, code!) is { } step && (await gate.WriteAsync(db, async t =>
        {
            var now = clock.GetUtcNow();
            // Only the enrolment the code was checked against: a restart in between (a new secret) is not confirmed by it.
            var enabled = await db.TwoFactorKeys
                .Where(k => k.UserId == key.UserId && k.EnabledAt == null && k.ProtectedSecret == key.ProtectedSecret)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.EnabledAt, now).SetProperty(k => k.LastAcceptedStep, step), t);
            if (enabled == 0)
            {
                return FailureTypes.Conflict.Because("The enrolment changed meanwhile.");
            }

            await db.RecoveryCodes.Where(r => r.UserId == key.UserId).ExecuteDeleteAsync(t);
            db.RecoveryCodes.AddRange(codes.Select(c => new RecoveryCode { UserId = key.UserId, CodeHash = HashRecoveryCode(c) }));
            if (actor.SessionId is { } sessionId)
            {
                await sessions.CompleteTwoFactorAsync(sessionId, TwoFactorStep.Enrol, t);
            }

            await sessions.RevokeAllAsync(key.UserId, actor.SessionId, "second factor turned on", t);
            audit.Record(actor, AuditActions.TwoFactorEnabled, key.UserId);
            return Result.Done;
        }, ct)).Succeeded;

        if (!confirmed)
        {
            return await WrongAsync(actor, "code", WrongCode, "wrong second-factor code at enrolment", ct);
        }

        return new RecoveryCodeList(codes);
    }

    /// <summary>
    /// The second step of a sign-in: a code from the authenticator or one recovery code completes the actor's session.
    /// A wrong, replayed or used-up code is refused, audited and counted toward the lockout.
    /// </summary>
    public async Task<Result<bool>> VerifyAsync(Actor actor, string? code, string? recoveryCode, CancellationToken ct)
    {
        if (actor.SessionId is not { } sessionId || await sessions.TwoFactorPendingAsync(sessionId, ct) != TwoFactorStep.Required)
        {
            return FailureTypes.Conflict.Because("This session is not waiting for a second factor.");
        }

        if (await LockedAsync(actor, ct))
        {
            return Lockout.Locked();
        }

        var byRecovery = !string.IsNullOrWhiteSpace(recoveryCode);
        if (byRecovery == !string.IsNullOrWhiteSpace(code))
        {
            return Failure.Validation("code", "Give either the code from your authenticator app or one recovery code.");
        }

        if (!byRecovery && CheckFormat(code) is { } invalid)
        {
            return invalid;
        }

        var key = await db.TwoFactorKeys.AsNoTracking().ConfirmedFor(actor.UserId.Value).FirstOrDefaultAsync(ct);
        if (key is null || Secret(key) is not { } secret)
        {
            return FailureTypes.Conflict.Because("This account has no second factor any more: sign in again.");
        }

        var hash = byRecovery ? HashRecoveryCode(recoveryCode!) : null;
        var step = byRecovery ? null : Step(secret, code!);
        var accepted = (byRecovery || step is not null) && (await gate.WriteAsync(db, async t =>
        {
            var now = clock.GetUtcNow();
            // Single use, even against a parallel request: the conditional update lets exactly one of them through.
            var used = byRecovery
                ? await db.RecoveryCodes.Where(r => r.UserId == key.UserId && r.CodeHash == hash && r.UsedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), t)
                : await db.TwoFactorKeys.Where(k => k.UserId == key.UserId && k.EnabledAt != null && (k.LastAcceptedStep == null || k.LastAcceptedStep < step))
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastAcceptedStep, step), t);
            if (used == 0 || !await sessions.CompleteTwoFactorAsync(sessionId, TwoFactorStep.Required, t))
            {
                // Nothing of this attempt stays (a code used while the session ended meanwhile is not spent).
                return FailureTypes.Conflict.Because("The code was not accepted.");
            }

            // The sign-in is complete only now: the failures counted so far (passwords and codes) are forgiven here.
            await db.Users.Where(u => u.Id == key.UserId && (u.LockoutEnd == null || u.LockoutEnd <= now))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), t);
            if (byRecovery)
            {
                var left = await db.RecoveryCodes.CountAsync(r => r.UserId == key.UserId && r.UsedAt == null, t);
                audit.Record(actor, AuditActions.RecoveryCodeUsed, key.UserId, $"{left} recovery codes left");
            }

            return Result.Done;
        }, ct)).Succeeded;

        if (!accepted)
        {
            return byRecovery
                ? await WrongAsync(actor, "recoveryCode", WrongRecoveryCode, "wrong or used recovery code", ct)
                : await WrongAsync(actor, "code", WrongCode, "wrong or replayed second-factor code", ct);
        }

        return true;
    }

    /// <summary>The stored form of a recovery code: SHA-256 of its letters and digits, in upper case.</summary>
    internal static string HashRecoveryCode(string code) =>
        SessionService.HashToken(new string([.. code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant)]));

    /// <summary>The otpauth URI of a secret for the user (what the QR code carries).</summary>
    private static TwoFactorEnrolment Enrolment(UserId userId, string secret) =>
        new(secret, $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{userId}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30");

    /// <summary>The time step a code matches now (one step either side, for clock drift), or null.</summary>
    private long? Step(string secret, string code) =>
        new Totp(Base32Encoding.ToBytes(secret)).VerifyTotp(clock.GetUtcNow().UtcDateTime, code.Trim(), out var step, VerificationWindow.RfcSpecifiedNetworkDelay)
            ? step
            : null;

    /// <summary>The key's secret, or null when it can no longer be read (the Data Protection keys were lost).</summary>
    private string? Secret(TwoFactorKey key)
    {
        try
        {
            return Protector.Unprotect(key.ProtectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static Failure? CheckFormat(string? code) =>
        code?.Trim() is { Length: 6 } digits && digits.All(char.IsAsciiDigit)
            ? null
            : Failure.Validation("code", "Enter the 6-digit code your authenticator app shows.");

    private async Task<bool> LockedAsync(Actor actor, CancellationToken ct) =>
        lockout.Holds(await db.Users.Where(u => u.Id == actor.UserId.Value).Select(u => u.LockoutEnd).FirstOrDefaultAsync(ct));

    private async Task<Failure> WrongAsync(Actor actor, string field, string message, string what, CancellationToken ct) =>
        await lockout.CountWrongAsync(actor, AuditActions.TwoFactorFailed, what, ct) ? Lockout.Locked() : Failure.Validation(field, message);

    private static Failure AlreadyOn() => FailureTypes.Conflict.Because(
        "A second factor is on already. To replace it, ask an administrator to reset it.");

    private static string NewRecoveryCode()
    {
        var text = RandomNumberGenerator.GetString(RecoveryAlphabet, 10);
        return $"{text[..5]}-{text[5..]}";
    }
}
