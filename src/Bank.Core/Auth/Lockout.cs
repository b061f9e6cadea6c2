using Bank.Core.Audit;
using Bank.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Auth;

/// <summary>
/// The one lockout of an account, fed by wrong secrets wherever they are typed (sign-in, change password, second-factor
/// codes): five in a row lock it for thirty minutes (<c>Security:LockoutThreshold</c>, <c>LockoutMinutes</c>). While it
/// holds, nothing is checked and nothing extends it. An account that goes on failing at sign-in after its lock has ended
/// waits progressively longer before each next try (<see cref="DelayAsync"/>).
/// </summary>
public sealed class Lockout(
    BankDbContext db,
    WriteGate gate,
    SessionService sessions,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<SecurityOptions> options)
{
    /// <summary>The answer to anything tried while the account is locked.</summary>
    public static Failure Locked() => FailureTypes.AccountLocked.Because(
        "This account is locked after too many failed sign-in attempts. Try again later or ask an administrator to unlock it.");

    /// <summary>The longest wait of the progressive delay.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>The answer to a sign-in tried before the progressive delay has passed.</summary>
    public static Failure Delayed(TimeSpan left) => FailureTypes.AccountLocked.Because(
        $"This account is locked after repeated failed sign-in attempts. Try again in {Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} minute(s) or ask an administrator to unlock it.");

    /// <summary>
    /// What is left of the progressive delay of an account (zero when none is due). Its streak is the wrong passwords at
    /// sign-in since the last successful sign-in, administrator's unlock or password reset; the first <c>LockoutThreshold</c> of them are
    /// the lock's business, and each one after that makes the next try wait twice as long from it: 2, 4, 8 … minutes, at
    /// most <see cref="MaxDelay"/>. A running lock is never extended: this only slows a guesser who comes back after it,
    /// from five guesses every half hour to a handful a day.
    /// </summary>
    public async Task<TimeSpan> DelayAsync(long userId, CancellationToken ct)
    {
        var threshold = options.Value.LockoutThreshold;
        var clearedAt = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TargetUserId == userId && (e.Action == AuditActions.UserUnlocked || e.Action == AuditActions.PasswordReset))
            .OrderByDescending(e => e.Id).Select(e => (DateTimeOffset?)e.At).FirstOrDefaultAsync(ct);
        // Enough of the latest attempts to reach the longest wait; attempts refused while locked or delayed do not count.
        var recent = await db.LoginAttempts.AsNoTracking()
            .Where(a => a.UserId == userId && (a.Outcome == LoginOutcome.WrongPassword || a.Outcome == LoginOutcome.Success))
            .OrderByDescending(a => a.Id).Take(threshold + 8)
            .Select(a => new { a.Outcome, a.At }).ToListAsync(ct);
        var streak = recent.TakeWhile(a => a.Outcome == LoginOutcome.WrongPassword && !(a.At <= clearedAt)).ToList();
        var beyond = streak.Count - threshold;
        if (beyond < 1)
        {
            return TimeSpan.Zero;
        }

        var wait = TimeSpan.FromMinutes(Math.Min(1 << Math.Min(beyond, 8), MaxDelay.TotalMinutes));
        var left = streak[0].At + wait - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Whether a lock holds now.</summary>
    public bool Holds(DateTimeOffset? lockoutEnd) => lockoutEnd > clock.GetUtcNow();

    /// <summary>
    /// Counts a wrong password with one atomic update (parallel guesses cannot slip past the threshold), locking at the
    /// limit; a lock that holds already is neither counted against nor extended. Call inside a write transaction.
    /// Returns whether the account is locked now.
    /// </summary>
    public async Task<bool> CountFailureAsync(long userId, CancellationToken ct)
    {
        var threshold = options.Value.LockoutThreshold;
        var now = clock.GetUtcNow();
        DateTimeOffset? until = now.AddMinutes(options.Value.LockoutMinutes);
        await db.Users.Where(u => u.Id == userId && (u.LockoutEnd == null || u.LockoutEnd <= now)).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1 >= threshold ? 0 : u.AccessFailedCount + 1)
            .SetProperty(u => u.LockoutEnd, u => u.AccessFailedCount + 1 >= threshold ? until : u.LockoutEnd), ct);
        var end = await db.Users.Where(u => u.Id == userId).Select(u => u.LockoutEnd).FirstOrDefaultAsync(ct);
        return end > now;
    }

    /// <summary>
    /// A wrong secret typed by someone signed in as the user (current password, second-factor code), in a transaction of
    /// its own: counted toward the lock and audited as <paramref name="action"/>; the failure that locks ends every session
    /// of the user, the one guessing included. Returns whether the account is locked now.
    /// </summary>
    public async Task<bool> CountWrongAsync(Actor actor, string action, string what, CancellationToken ct)
    {
        var locked = await gate.WriteAsync(db, async t =>
        {
            var userId = actor.UserId.Value;
            var lockedNow = await CountFailureAsync(userId, t);
            audit.Record(actor, action, userId, lockedNow ? $"{what}; the account is now locked" : what);
            if (lockedNow)
            {
                await sessions.RevokeAllAsync(userId, exceptSessionId: null, $"locked after a {what}", t);
            }

            return Result.Ok(lockedNow);
        }, ct);
        return locked.Value;
    }
}
