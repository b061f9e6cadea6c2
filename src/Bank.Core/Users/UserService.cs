using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Users;

/// <summary>Creates, finds and manages users under the permission rules of SPEC §1.</summary>
public sealed class UserService(
    BankDbContext db,
    WriteGate gate,
    Passwords passwords,
    AuditTrail audit,
    SessionService sessions,
    TimeProvider clock,
    IOptions<BankOptions> bank)
{
    /// <summary>Creates a user (and, for a customer, their account in the same transaction) with a one-time password.</summary>
    public async Task<Result<CreatedUser>> CreateAsync(Actor actor, NewUser input, CancellationToken ct)
    {
        if (!actor.Role.IsAdministrator())
        {
            return Failure.Forbidden("Only administrators can create users.");
        }

        var checkedInput = input.Validate(Today(), bank.Value.MinimumCustomerAge);
        if (checkedInput.Failure is { } invalid)
        {
            return invalid;
        }

        var valid = checkedInput.Value!;
        if (!actor.Role.CanManage(valid.Role))
        {
            return Failure.Forbidden($"An {actor.Role.Name()} cannot create a user with the role {valid.Role.Name()}.");
        }

        if (await FindDuplicatesAsync(valid, ct) is { } duplicate)
        {
            return duplicate;
        }

        var temporary = Passwords.Generate();
        var hash = passwords.Hash(temporary);
        try
        {
            return await gate.WriteAsync<CreatedUser>(db, async token =>
            {
                var user = await AddUserAsync(valid, hash, mustChangePassword: true, actor.UserId, token);
                string? accountNumber = null;
                if (valid.Role == Role.Customer)
                {
                    accountNumber = await OpenAccountAsync(user, token);
                }

                audit.Record(db, actor, AuditActions.UserCreated, user.Id, $"role={valid.Role.Name()}");
                return Result<CreatedUser>.Ok(new CreatedUser(user.UserId, temporary, accountNumber));
            }, ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex, out var constraint))
        {
            // Another request took the email or a phone number between our check and our insert.
            return constraint.Contains("email", StringComparison.OrdinalIgnoreCase)
                ? Failure.Validation("email", "A user with this email address already exists.")
                : Failure.Validation("phoneNumbers", "One of these phone numbers belongs to another user.");
        }
    }

    /// <summary>Inserts the user row, phones and first password-history entry; call inside a write transaction.</summary>
    internal async Task<User> AddUserAsync(NewUser.Valid valid, string passwordHash, bool mustChangePassword, long? createdBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var user = new User
        {
            Id = await Counters.NextAsync(db, CounterNames.UserId, ct),
            FirstName = valid.FirstName,
            LastName = valid.LastName,
            Email = valid.Email,
            NormalizedEmail = NormalizeEmail(valid.Email),
            DateOfBirth = valid.DateOfBirth,
            Gender = valid.Gender,
            Street = valid.Street,
            City = valid.City,
            State = valid.State,
            Role = valid.Role,
            Status = UserStatus.Active,
            CreatedById = createdBy,
            CreatedAt = now,
            PasswordHash = passwordHash,
            PasswordChangedAt = now,
            MustChangePassword = mustChangePassword,
            Phones = valid.PhoneNumbers.Select((p, i) => new UserPhone { Number = p, Position = i }).ToList(),
        };
        db.Users.Add(user);
        db.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = passwordHash, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return user;
    }

    private async Task<string> OpenAccountAsync(User user, CancellationToken ct)
    {
        var number = AccountNumber.FromBody(await Counters.NextAsync(db, CounterNames.AccountNumber, ct));
        db.Accounts.Add(new Account
        {
            AccountNumber = number,
            UserId = user.Id,
            Kind = AccountKind.Customer,
            Branch = bank.Value.Branch,
            Currency = "INR",
            BalancePaise = 0,
            Status = AccountStatus.Active,
            OpenedAt = clock.GetUtcNow(),
        });
        return number;
    }

    private async Task<Failure?> FindDuplicatesAsync(NewUser.Valid valid, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var normalized = NormalizeEmail(valid.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
        {
            errors.Add("email", "A user with this email address already exists.");
        }

        var phones = valid.PhoneNumbers.ToList();
        var taken = await db.UserPhones.Where(p => phones.Contains(p.Number)).Select(p => p.Number).ToListAsync(ct);
        foreach (var phone in taken)
        {
            errors.Add($"phoneNumbers[{phones.IndexOf(phone)}]", "This phone number belongs to another user.");
        }

        return errors.Any ? Failure.Validation(errors.ToDictionary()) : null;
    }

    /// <summary>One page of users, filtered and sorted, with a keyset cursor (no OFFSET).</summary>
    public async Task<Result<Page<UserSummary>>> ListAsync(Actor actor, UserQuery query, CancellationToken ct)
    {
        if (!actor.Role.IsStaff())
        {
            return Failure.Forbidden("Only staff can list users.");
        }

        var errors = new FieldErrors();
        var users = db.Users.AsNoTracking();
        var now = clock.GetUtcNow();
        var activeSince = now.AddDays(-UserEnums.ActivityWindowDays);

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim();
            var upper = q.ToUpperInvariant();
            var digits = q.All(char.IsAsciiDigit);
            var asId = digits && long.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;
            users = users.Where(u =>
                u.Id == asId
                || (digits && u.Phones.Any(p => p.Number.Contains(q)))
                || u.NormalizedEmail.Contains(upper)
                || (u.FirstName + " " + u.LastName).ToUpper().Contains(upper));
        }

        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            if (Roles.TryParse(query.Role, out var role))
            {
                users = users.Where(u => u.Role == role);
            }
            else
            {
                errors.Add("role", $"Must be one of {string.Join(", ", Roles.All.Select(r => r.Name()))}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            if (UserEnums.TryParse<UserStatus>(query.Status, out var status))
            {
                users = users.Where(u => u.Status == status);
            }
            else
            {
                errors.Add("status", $"Must be one of {UserEnums.Names<UserStatus>()}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Activity))
        {
            if (UserEnums.TryParse<ActivityStatus>(query.Activity, out var activity))
            {
                users = activity == ActivityStatus.Active
                    ? users.Where(u => u.LastLoginAt > activeSince)
                    : users.Where(u => u.LastLoginAt == null || u.LastLoginAt <= activeSince);
            }
            else
            {
                errors.Add("activity", $"Must be one of {UserEnums.Names<ActivityStatus>()}.");
            }
        }

        var limit = query.Limit ?? UserQuery.DefaultLimit;
        if (limit is < 1 or > UserQuery.MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {UserQuery.MaxLimit}.");
        }

        var sort = string.IsNullOrWhiteSpace(query.Sort) ? "userId" : query.Sort.Trim();
        if (sort is not ("userId" or "-userId" or "name" or "-name"))
        {
            errors.Add("sort", "Must be one of userId, -userId, name, -name.");
        }

        UserCursor? cursor = null;
        if (!string.IsNullOrEmpty(query.Cursor) && !UserCursor.TryDecode(query.Cursor, sort, out cursor))
        {
            errors.Add("cursor", "Is not a cursor returned by this list with this sort.");
        }

        if (errors.Any)
        {
            return Failure.Validation(errors.ToDictionary());
        }

        users = ApplySort(users, sort, cursor);
        var rows = await users.Take(limit + 1).Select(u => new
        {
            u.Id,
            u.FirstName,
            u.LastName,
            u.Email,
            Phones = u.Phones.OrderBy(p => p.Position).Select(p => p.Number).ToList(),
            u.Role,
            u.Gender,
            u.DateOfBirth,
            u.Status,
            u.LastLoginAt,
        }).ToListAsync(ct);

        var items = rows.Take(limit).Select(u => new UserSummary(
            u.Id.ToString(CultureInfo.InvariantCulture), u.FirstName, u.LastName, u.Email, u.Phones, u.Role.Name(),
            u.Gender.ToString(), u.DateOfBirth, u.Status.ToString(),
            (u.LastLoginAt > activeSince ? ActivityStatus.Active : ActivityStatus.Inactive).ToString(), u.LastLoginAt)).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1];
            next = new UserCursor(sort, last.Id, last.LastName, last.FirstName).Encode();
        }

        return Result<Page<UserSummary>>.Ok(new Page<UserSummary>(items, next));
    }

    private static IQueryable<User> ApplySort(IQueryable<User> users, string sort, UserCursor? c) => sort switch
    {
        "-userId" => (c is null ? users : users.Where(u => u.Id < c.Id)).OrderByDescending(u => u.Id),
        "name" => (c is null ? users : users.Where(u =>
                string.Compare(u.LastName, c.LastName) > 0
                || (u.LastName == c.LastName && string.Compare(u.FirstName, c.FirstName) > 0)
                || (u.LastName == c.LastName && u.FirstName == c.FirstName && u.Id > c.Id)))
            .OrderBy(u => u.LastName).ThenBy(u => u.FirstName).ThenBy(u => u.Id),
        "-name" => (c is null ? users : users.Where(u =>
                string.Compare(u.LastName, c.LastName) < 0
                || (u.LastName == c.LastName && string.Compare(u.FirstName, c.FirstName) < 0)
                || (u.LastName == c.LastName && u.FirstName == c.FirstName && u.Id < c.Id)))
            .OrderByDescending(u => u.LastName).ThenByDescending(u => u.FirstName).ThenByDescending(u => u.Id),
        _ => (c is null ? users : users.Where(u => u.Id > c.Id)).OrderBy(u => u.Id),
    };

    /// <summary>One user with address, account and lockout state; staff only.</summary>
    public async Task<Result<UserDetails>> GetAsync(Actor actor, string userId, CancellationToken ct)
    {
        if (!actor.Role.IsStaff())
        {
            return Failure.Forbidden("Only staff can see user details.");
        }

        if (await FindAsync(userId, tracking: false, ct) is not { } user)
        {
            return Failure.NotFound($"No user has the User ID '{userId}'.");
        }

        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == user.Id, ct);
        var now = clock.GetUtcNow();
        var summary = Summary(user, now);
        return Result<UserDetails>.Ok(new UserDetails(
            summary,
            new UserAddress(user.Street, user.City, user.State),
            user.CreatedById?.ToString(CultureInfo.InvariantCulture),
            user.CreatedAt,
            user.MustChangePassword,
            user.LockoutEnd > now ? user.LockoutEnd : null,
            account is null ? null : AccountView.From(account)));
    }

    /// <summary>Changes a user's role and/or stored status; ends their sessions when either changes.</summary>
    public async Task<Result<UserDetails>> ChangeAsync(Actor actor, string userId, UserChange change, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Role? newRole = null;
        UserStatus? newStatus = null;
        if (change.Role is not null)
        {
            if (Roles.TryParse(change.Role, out var r))
            {
                newRole = r;
            }
            else
            {
                errors.Add("role", $"Must be one of {string.Join(", ", Roles.All.Select(x => x.Name()))}.");
            }
        }

        if (change.Status is not null)
        {
            if (UserEnums.TryParse<UserStatus>(change.Status, out var s))
            {
                newStatus = s;
            }
            else
            {
                errors.Add("status", $"Must be one of {UserEnums.Names<UserStatus>()}.");
            }
        }

        if (change.Role is null && change.Status is null)
        {
            errors.Add("role", "Give a role, a status, or both.");
        }

        if (errors.Any)
        {
            return Failure.Validation(errors.ToDictionary());
        }

        var result = await gate.WriteAsync<bool>(db, async token =>
        {
            if (await ManageableAsync(actor, userId, token) is not { } found)
            {
                return Result<bool>.Fail(await DenialAsync(actor, userId, token));
            }

            var user = found;
            if (newRole is { } role && !actor.Role.CanManage(role))
            {
                return Failure.Forbidden($"An {actor.Role.Name()} cannot give the role {role.Name()}.");
            }

            var roleAfter = newRole ?? user.Role;
            var statusAfter = newStatus ?? user.Status;
            if (user.Role == Role.SuperAdmin && user.Status == UserStatus.Active
                && (roleAfter != Role.SuperAdmin || statusAfter != UserStatus.Active))
            {
                var others = (await LockActiveSuperAdminsAsync(token)).Count(id => id != user.Id);
                if (others == 0)
                {
                    return new Failure(FailureCodes.LastSuperAdmin, "The last active Super_Admin cannot be demoted or deactivated.");
                }
            }

            var changed = false;
            if (roleAfter != user.Role)
            {
                audit.Record(db, actor, AuditActions.RoleChanged, user.Id, $"{user.Role.Name()} -> {roleAfter.Name()}");
                user.Role = roleAfter;
                changed = true;
            }

            if (statusAfter != user.Status)
            {
                audit.Record(db, actor, AuditActions.StatusChanged, user.Id, $"{user.Status} -> {statusAfter}");
                user.Status = statusAfter;
                changed = true;
            }

            if (changed)
            {
                await sessions.RevokeAllAsync(user.Id, exceptSessionId: null, "role or status changed", token);
            }

            return Result<bool>.Ok(changed);
        }, ct);

        return result.Failure is { } failure ? failure : await GetAsync(actor, userId, ct);
    }

    /// <summary>Gives the user a new one-time password, ends their sessions and lifts any lockout.</summary>
    public async Task<Result<string>> ResetPasswordAsync(Actor actor, string userId, CancellationToken ct)
    {
        var temporary = Passwords.Generate();
        var hash = passwords.Hash(temporary);
        return await gate.WriteAsync<string>(db, async token =>
        {
            if (await ManageableAsync(actor, userId, token) is not { } user)
            {
                return Result<string>.Fail(await DenialAsync(actor, userId, token));
            }

            var now = clock.GetUtcNow();
            user.PasswordHash = hash;
            user.PasswordChangedAt = now;
            user.MustChangePassword = true;
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            db.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = hash, CreatedAt = now });
            await sessions.RevokeAllAsync(user.Id, exceptSessionId: null, "password reset", token);
            audit.Record(db, actor, AuditActions.PasswordReset, user.Id);
            return Result<string>.Ok(temporary);
        }, ct);
    }

    /// <summary>Lifts a lockout before it runs out.</summary>
    public async Task<Result<bool>> UnlockAsync(Actor actor, string userId, CancellationToken ct) =>
        await gate.WriteAsync<bool>(db, async token =>
        {
            if (await ManageableAsync(actor, userId, token) is not { } user)
            {
                return Result<bool>.Fail(await DenialAsync(actor, userId, token));
            }

            var wasLocked = user.LockoutEnd > clock.GetUtcNow();
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            audit.Record(db, actor, AuditActions.UserUnlocked, user.Id, wasLocked ? "was locked" : "was not locked");
            return Result<bool>.Ok(wasLocked);
        }, ct);

    /// <summary>Parses a User ID as typed (digits only).</summary>
    public static long? ParseUserId(string? text) =>
        text is { Length: > 0 and <= 18 } t && t.All(char.IsAsciiDigit)
            ? long.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    internal static UserSummary Summary(User u, DateTimeOffset now) => new(
        u.UserId, u.FirstName, u.LastName, u.Email, u.Phones.OrderBy(p => p.Position).Select(p => p.Number).ToList(),
        u.Role.Name(), u.Gender.ToString(), u.DateOfBirth, u.Status.ToString(), u.ActivityAt(now).ToString(), u.LastLoginAt);

    private async Task<User?> FindAsync(string userId, bool tracking, CancellationToken ct)
    {
        if (ParseUserId(userId) is not { } id)
        {
            return null;
        }

        var users = tracking ? db.Users : db.Users.AsNoTracking();
        return await users.Include(u => u.Phones).FirstOrDefaultAsync(u => u.Id == id, ct);
    }

    /// <summary>The target user, tracked, when the actor may manage them (not themselves, and within their role's reach).</summary>
    private async Task<User?> ManageableAsync(Actor actor, string userId, CancellationToken ct)
    {
        var user = await FindAsync(userId, tracking: true, ct);
        return user is not null && user.Id != actor.UserId && actor.Role.CanManage(user.Role) ? user : null;
    }

    private async Task<Failure> DenialAsync(Actor actor, string userId, CancellationToken ct)
    {
        var user = await FindAsync(userId, tracking: false, ct);
        if (user is null)
        {
            return actor.Role.IsStaff() ? Failure.NotFound($"No user has the User ID '{userId}'.") : Failure.Forbidden("You may not manage users.");
        }

        if (user.Id == actor.UserId)
        {
            return Failure.Forbidden("You cannot change your own role, status or password here; use Change password for your own password.");
        }

        return Failure.Forbidden(actor.Role.IsAdministrator()
            ? $"An {actor.Role.Name()} cannot manage a user with the role {user.Role.Name()}."
            : "You may not manage users.");
    }

    /// <summary>
    /// The ids of the active Super_Admins, locked until the end of the transaction on PostgreSQL
    /// (in id order, so two such transactions cannot deadlock); SQLite's single writer serialises them already.
    /// </summary>
    private async Task<List<long>> LockActiveSuperAdminsAsync(CancellationToken ct)
    {
        var superAdmin = Roles.SuperAdminName;
        var active = nameof(UserStatus.Active);
        return db.Provider == DatabaseProvider.Postgres
            ? await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM users WHERE role = {superAdmin} AND status = {active} ORDER BY id FOR UPDATE").ToListAsync(ct)
            : await db.Users.Where(u => u.Role == Role.SuperAdmin && u.Status == UserStatus.Active).Select(u => u.Id).ToListAsync(ct);
    }

    private DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), bank.Value.Zone).DateTime);
}

/// <summary>The opaque position after the last row of a users page.</summary>
internal sealed record UserCursor(string Sort, long Id, string LastName, string FirstName)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Sort}\u001f{Id.ToString(CultureInfo.InvariantCulture)}\u001f{LastName}\u001f{FirstName}"));

    public static bool TryDecode(string text, string sort, out UserCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('\u001f');
            if (parts.Length != 4 || parts[0] != sort || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return false;
            }

            cursor = new UserCursor(parts[0], id, parts[2], parts[3]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
