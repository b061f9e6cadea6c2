using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Reports;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Users;

/// <summary>
/// Managing users under the permission rules of SPEC §1: role and status changes, password resets, unlocking. Nobody
/// manages themselves here, an Admin manages only Employees and Customers, and the last active Super_Admin always remains.
/// </summary>
public sealed class UserAdministration(
    BankDbContext db,
    WriteGate gate,
    Passwords passwords,
    SessionService sessions,
    UserDirectory directory,
    AuditTrail audit,
    TimeProvider clock,
    DashboardCache dashboards)
{
    /// <summary>Changes a user's role and/or stored status; ends their sessions when either changes.</summary>
    public async Task<Result<UserDetails>> ChangeAsync(Actor actor, string userId, UserChange change, CancellationToken ct)
    {
        var errors = new FieldErrors();
        // Each is optional, but when given (blank included) it must name a value.
        var newRole = change.Role is null ? null : errors.Required<Role>("role", change.Role);
        var newStatus = change.Status is null ? null : errors.Required<UserStatus>("status", change.Status);
        if (change.Role is null && change.Status is null)
        {
            errors.Add("role", "Give a role, a status, or both.");
        }

        var reason = AuditReason.Validate(change.Reason, errors);

        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        var result = await gate.WriteAsync(db, async token =>
        {
            if (!(await ManageableAsync(actor, userId, AdministrationFailures.MayNotChange, token)).TryGet(out var user, out var denied))
            {
                return denied;
            }

            if (newRole is { } role && !actor.Role.CanManage(role))
            {
                return Failure.Forbidden($"An {actor.Role.Name()} cannot give the role {role.Name()}.");
            }

            var roleAfter = newRole ?? user.Role;
            var statusAfter = newStatus ?? user.Status;
            if (user.Role == Role.SuperAdmin && user.Status == UserStatus.Active
                && (roleAfter != Role.SuperAdmin || statusAfter != UserStatus.Active)
                && !(await LockActiveSuperAdminsAsync(token)).Any(id => id != user.Id))
            {
                return AdministrationFailures.LastSuperAdmin();
            }

            if (user.Role == Role.Customer && roleAfter != Role.Customer
                && await db.Accounts.AnyAsync(a => a.UserId == user.Id && a.Kind == AccountKind.Customer && a.Status != AccountStatus.Closed, token))
            {
                // Staff have no account pages: an open account would go on receiving transfers that nobody can see or move.
                return AdministrationFailures.AccountStillOpen();
            }

            var changed = false;
            if (roleAfter != user.Role)
            {
                audit.Record(actor, AuditActions.RoleChanged, user.Id, AuditReason.Append($"{user.Role.Name()} -> {roleAfter.Name()}", reason));
                user.Role = roleAfter;
                changed = true;
            }

            if (statusAfter != user.Status)
            {
                audit.Record(actor, AuditActions.StatusChanged, user.Id, AuditReason.Append($"{user.Status} -> {statusAfter}", reason));
                user.Status = statusAfter;
                changed = true;
            }

            if (changed)
            {
                await sessions.RevokeAllAsync(user.Id, exceptSessionId: null, "role or status changed", token);
            }

            return Result.Ok(changed);
        }, ct);

        if (result.Value)
        {
            // The staff dashboard counts users by role and status: the administrator sees the change at once.
            await dashboards.ForgetStaffAsync(ct);
        }

        return result.Succeeded ? await directory.GetAsync(actor, userId, ct) : result.Failure;
    }

    /// <summary>Gives the user a new one-time password, ends their sessions and lifts any lockout; <paramref name="reason"/> goes in the audit entry.</summary>
    public async Task<Result<string>> ResetPasswordAsync(Actor actor, string userId, string? reason, CancellationToken ct)
    {
        if (!ValidReason(reason).TryGet(out var why, out var invalid))
        {
            return invalid;
        }

        var temporary = Passwords.Generate();
        var hash = passwords.Hash(temporary);
        return await gate.WriteAsync(db, async token =>
        {
            if (!(await ManageableAsync(actor, userId, AdministrationFailures.MayNotResetPassword, token)).TryGet(out var user, out var denied))
            {
                return denied;
            }

            var now = clock.GetUtcNow();
            user.PasswordHash = hash;
            user.PasswordChangedAt = now;
            user.MustChangePassword = true;
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            db.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = hash, CreatedAt = now });
            await sessions.RevokeAllAsync(user.Id, exceptSessionId: null, "password reset", token);
            audit.Record(actor, AuditActions.PasswordReset, user.Id, AuditReason.Append(null, why));
            return Result.Ok(temporary);
        }, ct);
    }

    /// <summary>
    /// Removes the user's second factor (authenticator and recovery codes, confirmed or pending) and ends their sessions:
    /// they sign in with the password alone again, and enrol again where a second factor is required. Says whether they
    /// had a confirmed one.
    /// </summary>
    public async Task<Result<bool>> ResetTwoFactorAsync(Actor actor, string userId, string? reason, CancellationToken ct)
    {
        if (!ValidReason(reason).TryGet(out var why, out var invalid))
        {
            return invalid;
        }

        return await gate.WriteAsync(db, async token =>
        {
            if (!(await ManageableAsync(actor, userId, AdministrationFailures.MayNotResetTwoFactor, token)).TryGet(out var user, out var denied))
            {
                return denied;
            }

            var hadOne = await db.TwoFactorKeys.ConfirmedFor(user.Id).AnyAsync(token);
            await db.TwoFactorKeys.Where(k => k.UserId == user.Id).ExecuteDeleteAsync(token);
            await db.RecoveryCodes.Where(r => r.UserId == user.Id).ExecuteDeleteAsync(token);
            await sessions.RevokeAllAsync(user.Id, exceptSessionId: null, "second factor reset", token);
            audit.Record(actor, AuditActions.TwoFactorReset, user.Id, AuditReason.Append(hadOne ? "had a second factor" : "had no second factor", why));
            return Result.Ok(hadOne);
        }, ct);
    }

    /// <summary>Lifts a lockout before it runs out; says whether the user was locked. <paramref name="reason"/> goes in the audit entry.</summary>
    public async Task<Result<bool>> UnlockAsync(Actor actor, string userId, string? reason, CancellationToken ct)
    {
        if (!ValidReason(reason).TryGet(out var why, out var invalid))
        {
            return invalid;
        }

        return await gate.WriteAsync(db, async token =>
        {
            if (!(await ManageableAsync(actor, userId, AdministrationFailures.MayNotUnlock, token)).TryGet(out var user, out var denied))
            {
                return denied;
            }

            var wasLocked = user.LockoutEnd > clock.GetUtcNow();
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            audit.Record(actor, AuditActions.UserUnlocked, user.Id, AuditReason.Append(wasLocked ? "was locked" : "was not locked", why));
            return Result.Ok(wasLocked);
        }, ct);
    }

    /// <summary>
    /// Lifts a user's lock from the server's command line (<c>unlock &lt;userId&gt;</c>): the operator's way back in when
    /// the only Super_Admin is locked out, since only another Super_Admin may unlock one. Audited as done by the system.
    /// </summary>
    public async Task<Result<bool>> UnlockAsOperatorAsync(string userId, CancellationToken ct) =>
        await gate.WriteAsync(db, async token =>
        {
            var user = UserId.TryParse(userId, out var id) ? await db.Users.FirstOrDefaultAsync(u => u.Id == id.Value, token) : null;
            if (user is null)
            {
                return UserDirectory.NoSuchUser(userId);
            }

            var wasLocked = user.LockoutEnd > clock.GetUtcNow();
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            audit.Record(null, AuditActions.UserUnlocked, user.Id, (wasLocked ? "was locked" : "was not locked") + "; by the operator (command line)");
            return Result.Ok(wasLocked);
        }, ct);

    /// <summary>The reason as kept (null when none was given), or its field error.</summary>
    private static Result<string?> ValidReason(string? reason)
    {
        var errors = new FieldErrors();
        var kept = AuditReason.Validate(reason, errors);
        return errors.ToFailure() is { } invalid ? invalid : Result.Ok(kept);
    }

    /// <summary>Whether <paramref name="actor"/> may manage <paramref name="user"/>: not themselves, and within their role's reach (SPEC §1).</summary>
    internal static bool Manages(Actor actor, User user) => user.Id != actor.UserId.Value && actor.Role.CanManage(user.Role);

    /// <summary>
    /// The target user, tracked, when the actor may manage them (<see cref="Manages"/>); otherwise why not: no such user
    /// (staff only learn that), or the action's own refusal (<paramref name="mayNot"/>, the words <see cref="UserActions"/>
    /// answers with too).
    /// </summary>
    private async Task<Result<User>> ManageableAsync(Actor actor, string userId, Func<Failure> mayNot, CancellationToken ct)
    {
        var user = UserId.TryParse(userId, out var id) ? await db.Users.FirstOrDefaultAsync(u => u.Id == id.Value, ct) : null;
        if (user is null)
        {
            return actor.Role.IsStaff() ? UserDirectory.NoSuchUser(userId) : mayNot();
        }

        return Manages(actor, user) ? user : mayNot();
    }

    /// <summary>
    /// The ids of the active Super_Admins, locked until the end of the transaction on PostgreSQL
    /// (in id order, so two such transactions cannot deadlock); SQLite's single writer serialises them already.
    /// </summary>
    private async Task<List<long>> LockActiveSuperAdminsAsync(CancellationToken ct)
    {
        var superAdmin = Role.SuperAdmin.Name();
        var active = UserStatus.Active.Name();
        return db.Provider == DatabaseProvider.Postgres
            ? await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM users WHERE role = {superAdmin} AND status = {active} ORDER BY id FOR UPDATE").ToListAsync(ct)
            : await db.Users.ActiveSuperAdmins().Select(u => u.Id).ToListAsync(ct);
    }
}
