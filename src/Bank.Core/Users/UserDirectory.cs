using System.Diagnostics.CodeAnalysis;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Users;

/// <summary>Finding users (SPEC §5): the staff's searchable, keyset-paged list, one user's details, and the signed-in user.</summary>
public sealed class UserDirectory(BankDbContext db, TimeProvider clock)
{
    private static readonly string[] Sorts = ["userId", "-userId", "name", "-name"];

    /// <summary>One page of users, filtered and sorted; staff only.</summary>
    public async Task<Result<Page<UserSummary>>> ListAsync(Actor actor, UserQuery query, CancellationToken ct)
    {
        if (!actor.Role.IsStaff())
        {
            return Failure.Forbidden("Only staff can list users.");
        }

        var errors = new FieldErrors();
        if (query.Q is { } text && text.Any(char.IsControl))
        {
            // PostgreSQL cannot even compare text with a NUL in it; no name, email or number has a control character.
            errors.Add("q", "Must not contain control characters.");
        }

        var now = clock.GetUtcNow();
        var users = Search(db.Users.AsNoTracking(), query.Q);
        if (errors.Parse<Role>("role", query.Role) is { } role)
        {
            users = users.Where(u => u.Role == role);
        }

        if (errors.Parse<UserStatus>("status", query.Status) is { } status)
        {
            users = users.Where(u => u.Status == status);
        }

        var activeSince = now.AddDays(-User.ActivityWindowDays);
        if (errors.Parse<ActivityStatus>("activity", query.Activity) is { } activity)
        {
            users = activity == ActivityStatus.Active
                ? users.Where(u => u.LastLoginAt > activeSince)
                : users.Where(u => u.LastLoginAt == null || u.LastLoginAt <= activeSince);
        }

        var sort = string.IsNullOrWhiteSpace(query.Sort) ? Sorts[0] : query.Sort.Trim();
        if (!Sorts.Contains(sort))
        {
            errors.Add("sort", $"Must be one of {string.Join(", ", Sorts)}.");
        }

        var window = query.Window<UserKey>("users " + sort, errors);
        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        var rows = await Sorted(users, sort, window.After).Include(u => u.Phones).Take(window.Fetch).ToListAsync(ct);
        return window.ToPage(rows, u => new UserKey(u.Id, u.LastName, u.FirstName), u => Summary(u, now));
    }

    /// <summary>One user with address, account and lockout state, and what <paramref name="actor"/> may do to them; staff only.</summary>
    public async Task<Result<UserDetails>> GetAsync(Actor actor, string userId, CancellationToken ct)
    {
        if (!actor.Role.IsStaff())
        {
            return Failure.Forbidden("Only staff can see user details.");
        }

        if (await FindAsync(userId, ct) is not { } user)
        {
            return NoSuchUser(userId);
        }

        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == user.Id, ct);
        var now = clock.GetUtcNow();
        var locked = user.LockoutEnd > now;
        var twoFactor = await db.TwoFactorKeys.ConfirmedFor(user.Id).AnyAsync(ct);
        var lastSuperAdmin = user is { Role: Role.SuperAdmin, Status: UserStatus.Active }
            && !await db.Users.ActiveSuperAdmins().AnyAsync(u => u.Id != user.Id, ct);
        return new UserDetails(
            Summary(user, now),
            new UserAddress(user.Street, user.City, user.State),
            user.CreatedById is { } creator ? new UserId(creator).ToString() : null,
            user.CreatedAt,
            user.MustChangePassword,
            locked ? user.LockoutEnd : null,
            twoFactor,
            account is null ? null : AccountView.From(account),
            UserActions.For(actor, user, account, locked, twoFactor, lastSuperAdmin));
    }

    /// <summary>The signed-in user, as they see themselves.</summary>
    public async Task<Result<SignedInUser>> MeAsync(Actor actor, CancellationToken ct)
    {
        var me = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId.Value)
            .Select(u => new SignedInUser(actor.UserId.ToString(), u.FirstName, u.LastName, u.Role, u.Status, u.MustChangePassword))
            .FirstOrDefaultAsync(ct);
        return me is null ? Failure.NotFound("The signed-in user no longer exists.") : me;
    }

    /// <summary>The user with this User ID (and phones), untracked; null when the text names nobody.</summary>
    internal async Task<User?> FindAsync(string userId, CancellationToken ct) =>
        UserId.TryParse(userId, out var id)
            ? await db.Users.AsNoTracking().Include(u => u.Phones).FirstOrDefaultAsync(u => u.Id == id.Value, ct)
            : null;

    /// <summary>The answer for a User ID that names nobody.</summary>
    internal static Failure NoSuchUser(string userId) => Failure.NotFound($"No user has the User ID '{userId}'.");

    private static UserSummary Summary(User u, DateTimeOffset now) => new()
    {
        UserId = u.UserId.ToString(),
        FirstName = u.FirstName,
        LastName = u.LastName,
        Email = u.Email,
        PhoneNumbers = u.Phones.OrderBy(p => p.Position).Select(p => p.Number).ToList(),
        Role = u.Role,
        Gender = u.Gender,
        DateOfBirth = u.DateOfBirth,
        Status = u.Status,
        ActivityStatus = u.ActivityAt(now),
        LastLoginAt = u.LastLoginAt,
    };

    /// <summary>Users whose User ID is the text, or whose phone, email or name contains it (any case).</summary>
    [SuppressMessage("Globalization", "CA1304:Specify CultureInfo", Justification = "Translated to SQL UPPER(); no .NET culture is involved.")]
    [SuppressMessage("Globalization", "CA1311:Specify a culture or use an invariant version", Justification = "Translated to SQL UPPER().")]
    [SuppressMessage("Performance", "CA1862:Prefer the string comparison method overload", Justification = "Translated to SQL; both sides are upper-cased.")]
    private static IQueryable<User> Search(IQueryable<User> users, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return users;
        }

        var q = text.Trim();
        var upper = q.ToUpperInvariant();
        var digits = q.All(char.IsAsciiDigit);
        var asId = UserId.TryParse(q, out var id) ? id.Value : -1;
        return users.Where(u =>
            u.Id == asId
            || (digits && u.Phones.Any(p => p.Number.Contains(q)))
            || u.NormalizedEmail.Contains(upper)
            || (u.FirstName + " " + u.LastName).ToUpper().Contains(upper));
    }

    /// <summary>The sort key of a row of the users list.</summary>
    private sealed record UserKey(long Id, string LastName, string FirstName);

    [SuppressMessage("Globalization", "CA1309:Use ordinal string comparison", Justification = "Translated to SQL comparisons, in the database's collation like the ORDER BY beside it.")]
    private static IQueryable<User> Sorted(IQueryable<User> users, string sort, UserKey? c) => sort switch
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
}
