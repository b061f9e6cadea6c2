using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Auth;

/// <summary>Users changing their own password: the current one is required, the policy and history apply, other sessions end.</summary>
public sealed class PasswordService(
    BankDbContext db,
    WriteGate gate,
    Passwords passwords,
    SessionService sessions,
    AuditTrail audit,
    Lockout lockout,
    TimeProvider clock,
    IOptions<SecurityOptions> options)
{
    /// <summary>Replaces the actor's password after checking the current one; ends their other sessions.</summary>
    public async Task<Result<bool>> ChangeAsync(Actor actor, string? currentPassword, string? newPassword, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == actor.UserId.Value, ct);
        if (user is null)
        {
            return Failure.NotFound("The signed-in user no longer exists.");
        }

        if (lockout.Holds(user.LockoutEnd))
        {
            return Lockout.Locked();
        }

        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(currentPassword))
        {
            errors.Add("currentPassword", "Your current password is required.");
        }
        else if (currentPassword.Length > PasswordPolicy.MaxLength || !passwords.Verify(user.PasswordHash, currentPassword, out _))
        {
            // A wrong current password counts against the same lockout as a wrong sign-in, and is audited: whoever holds a
            // session must not be able to guess the password behind it. At the lock, every session of the user ends.
            if (await lockout.CountWrongAsync(actor, AuditActions.PasswordChangeFailed, "wrong current password", ct))
            {
                return Lockout.Locked();
            }

            errors.Add("currentPassword", "This is not your current password.");
        }

        if (PasswordPolicy.Check(newPassword) is { } rule)
        {
            errors.Add("newPassword", rule);
        }
        else if (errors.Any is false)
        {
            var recent = await db.PasswordHistory.AsNoTracking()
                .Where(h => h.UserId == user.Id)
                .OrderByDescending(h => h.Id)
                .Take(options.Value.PasswordHistory)
                .Select(h => h.PasswordHash)
                .ToListAsync(ct);
            // The current hash is normally the newest history entry already: each hash is checked once (PBKDF2 is slow on purpose).
            if (recent.Append(user.PasswordHash).Distinct(StringComparer.Ordinal).Any(h => passwords.Verify(h, newPassword!, out _)))
            {
                errors.Add("newPassword", $"Must differ from your last {options.Value.PasswordHistory} passwords.");
            }
        }

        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        var hash = passwords.Hash(newPassword!);
        return await gate.WriteAsync(db, async t =>
        {
            var now = clock.GetUtcNow();
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.PasswordHash, hash)
                .SetProperty(u => u.PasswordChangedAt, now)
                .SetProperty(u => u.MustChangePassword, false), t);
            db.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = hash, CreatedAt = now });
            await sessions.RevokeAllAsync(user.Id, actor.SessionId, "password changed", t);
            audit.Record(actor, AuditActions.PasswordChanged, user.Id);
            return Result.Done;
        }, ct);
    }
}
