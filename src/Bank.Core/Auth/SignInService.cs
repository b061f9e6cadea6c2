using Bank.Core.Data;
using Bank.Core.Notifications;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Auth;

/// <summary>A successful sign-in: the secret session token, who it belongs to, and how long it lives at most.</summary>
/// <remarks><see cref="TwoFactor"/>: what the session must still do about the second factor before it opens anything else.</remarks>
public sealed record SignedIn(string Token, string SessionId, UserId UserId, Role Role, bool MustChangePassword, TimeSpan Lifetime, TwoFactorStep? TwoFactor);

/// <summary>
/// Signs users in by User ID and password, for the browser and the API alike: lockout, login history and
/// the rule that locked or inactive accounts say so only to someone who knew the password.
/// </summary>
public sealed class SignInService(
    BankDbContext db,
    WriteGate gate,
    Passwords passwords,
    SessionService sessions,
    Outbox outbox,
    Lockout lockout,
    TwoFactorService twoFactor,
    BankMetrics metrics,
    TimeProvider clock)
{
    /// <summary>The one answer to a wrong User ID or password.</summary>
    public const string InvalidCredentialsMessage = "The User ID or password is incorrect.";

    /// <summary>
    /// Checks the User ID and password and starts a session, or says why not (recording the attempt either way). A browser
    /// that still holds a session (<paramref name="replacing"/>, its token) has that one ended in the same transaction as
    /// the new one starts (a new session id at every sign-in), and the session-end listeners hear of it.
    /// </summary>
    public async Task<Result<SignedIn>> SignInAsync(
        string? userIdText, string? password, Channel channel, ClientInfo client, CancellationToken ct, string? replacing = null)
    {
        // Recorded as typed, as far as it can be stored (a NUL or half an emoji must not fail the sign-in).
        var identifier = StoredText.Clip((userIdText ?? "").Trim(), 64);

        password ??= "";
        var user = UserId.TryParse(identifier, out var id)
            ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id.Value, ct)
            : null;

        if (user is null)
        {
            passwords.VerifyNothing(password);
            await RecordAsync(identifier, null, LoginOutcome.UnknownUser, channel, client, ct);
            return Invalid();
        }

        var now = clock.GetUtcNow();
        if (lockout.Holds(user.LockoutEnd))
        {
            // No password check while locked: every password gets the same answer, so a lock cannot be guessed through
            // (nor a hit recognised), and no attempt extends it.
            await RecordAsync(identifier, user.Id, LoginOutcome.LockedOut, channel, client, ct);
            return Lockout.Locked();
        }

        // A lock that has run out leaves its end behind (a success or an unlock clears it): only then can a delay be due,
        // so an ordinary sign-in pays no query for it.
        if (user.LockoutEnd is not null && await lockout.DelayAsync(user.Id, ct) is { Ticks: > 0 } left)
        {
            // The same after a lock, while the progressive delay runs: nothing checked, nothing counted.
            await RecordAsync(identifier, user.Id, LoginOutcome.LockedOut, channel, client, ct);
            return Lockout.Delayed(left);
        }

        var rehash = false;
        var plausible = password.Length is > 0 and <= PasswordPolicy.MaxLength;
        if (!plausible)
        {
            // Same time spent as for a real check, so that a blank password reveals nothing about the User ID.
            passwords.VerifyNothing(password);
        }

        var correct = plausible && passwords.Verify(user.PasswordHash, password, out rehash);
        if (!correct)
        {
            await FailAsync(user, identifier, channel, client, ct);
            return Invalid();
        }

        if (user.Status != UserStatus.Active)
        {
            await RecordAsync(identifier, user.Id, LoginOutcome.NotActive, channel, client, ct);
            return FailureTypes.UserNotActive.Because(
                $"This account is {user.Status.ToString().ToLowerInvariant()} and cannot sign in. Please contact the bank.");
        }

        var newHash = rehash ? passwords.Hash(password) : null;
        var step = await twoFactor.StepAtSignInAsync(user, ct);
        // With a code still to come, the password alone forgives no failures: otherwise each sign-in would reset the count
        // that wrong codes build up, and the codes could be guessed without end. The code's acceptance resets it.
        var forgive = step != TwoFactorStep.Required;
        var replacedId = string.IsNullOrEmpty(replacing) ? null : SessionService.HashToken(replacing);
        var replaced = false;
        var signedIn = await gate.WriteAsync(db, async t =>
        {
            // Only while no lock holds: a lock committed by a parallel failure during the hash wins over this success.
            var unlocked = await db.Users.Where(u => u.Id == user.Id && (u.LockoutEnd == null || u.LockoutEnd <= now)).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.LastLoginAt, now)
                .SetProperty(u => u.AccessFailedCount, u => forgive ? 0 : u.AccessFailedCount)
                .SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null)
                .SetProperty(u => u.PasswordHash, u => newHash ?? u.PasswordHash), t);
            if (unlocked == 0)
            {
                return Lockout.Locked();
            }

            var (token, session) = sessions.Start(user.UserId, channel, client, step);
            // Set by each try of the transaction (a retried one starts again): whether the browser's old session ended here.
            replaced = replacedId is not null && await sessions.RevokeAsync(replacedId, "replaced by a new sign-in", t);

            db.LoginAttempts.Add(Attempt(identifier, user.Id, LoginOutcome.Success, channel, client));
            // The sign-in mails are written with the sign-in: sent if and only if it happened, never in its way.
            outbox.SignedIn(user, channel, client);
            return Result.Ok(new SignedIn(token, session.Id, user.UserId, user.Role, user.MustChangePassword, session.ExpiresAt - session.CreatedAt, step));
        }, ct);
        if (signedIn.Failure?.Type == FailureTypes.AccountLocked)
        {
            await RecordAsync(identifier, user.Id, LoginOutcome.LockedOut, channel, client, ct);
            return signedIn;
        }

        if (signedIn.Succeeded)
        {
            metrics.SignInRecorded(LoginOutcome.Success);
            if (replaced)
            {
                await sessions.AnnounceEndAsync(replacedId!);
            }
        }

        outbox.Wake();
        return signedIn;
    }

    /// <summary>Counts a wrong password against the lockout and records the attempt, in one transaction.</summary>
    private async Task FailAsync(User user, string identifier, Channel channel, ClientInfo client, CancellationToken ct)
    {
        await gate.WriteAsync(db, async t =>
        {
            await lockout.CountFailureAsync(user.Id, t);
            db.LoginAttempts.Add(Attempt(identifier, user.Id, LoginOutcome.WrongPassword, channel, client));
            return Result.Done;
        }, ct);
        metrics.SignInRecorded(LoginOutcome.WrongPassword);
    }

    /// <summary>Records an attempt in the login history (and counts it, as every recorded attempt is counted).</summary>
    private async Task RecordAsync(string identifier, long? userId, LoginOutcome outcome, Channel channel, ClientInfo client, CancellationToken ct)
    {
        await gate.WriteAsync(db, _ =>
        {
            db.LoginAttempts.Add(Attempt(identifier, userId, outcome, channel, client));
            return Task.FromResult(Result.Done);
        }, ct);
        metrics.SignInRecorded(outcome);
    }

    private LoginAttempt Attempt(string identifier, long? userId, LoginOutcome outcome, Channel channel, ClientInfo client) => new()
    {
        UserIdentifier = identifier,
        UserId = userId,
        Succeeded = outcome == LoginOutcome.Success,
        Outcome = outcome,
        At = clock.GetUtcNow(),
        IpAddress = client.IpAddress,
        UserAgent = client.TrimmedUserAgent,
        Channel = channel,
    };

    private static Failure Invalid() => FailureTypes.InvalidCredentials.Because(InvalidCredentialsMessage);

}
