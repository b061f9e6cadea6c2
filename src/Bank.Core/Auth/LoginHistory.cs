using System.Globalization;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Auth;

/// <summary>One sign-in attempt as the history shows it.</summary>
public sealed record LoginRecord(DateTimeOffset At, bool Succeeded, string Outcome, string? IpAddress, string? UserAgent, string Channel);

/// <summary>Reads login history: users their own, administrators anyone's. Newest first, keyset-paged.</summary>
public sealed class LoginHistory(BankDbContext db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public Task<Result<Page<LoginRecord>>> OwnAsync(Actor actor, string? cursor, int? limit, CancellationToken ct) =>
        PageAsync(actor.UserId, cursor, limit, ct);

    public async Task<Result<Page<LoginRecord>>> ForUserAsync(Actor actor, string userId, string? cursor, int? limit, CancellationToken ct)
    {
        if (!actor.Role.IsAdministrator())
        {
            return Failure.Forbidden("Only administrators can see other users' login history.");
        }

        if (UserService.ParseUserId(userId) is not { } id || !await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return Failure.NotFound($"No user has the User ID '{userId}'.");
        }

        return await PageAsync(id, cursor, limit, ct);
    }

    private async Task<Result<Page<LoginRecord>>> PageAsync(long userId, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {MaxLimit}.");
        }

        long? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                after = c;
            }
            else
            {
                errors.Add("cursor", "Is not a cursor returned by this list.");
            }
        }

        if (errors.Any)
        {
            return Failure.Validation(errors.ToDictionary());
        }

        var rows = await db.LoginAttempts.AsNoTracking()
            .Where(l => l.UserId == userId && (after == null || l.Id < after))
            .OrderByDescending(l => l.Id)
            .Take(take + 1)
            .ToListAsync(ct);
        var items = rows.Take(take)
            .Select(l => new LoginRecord(l.At, l.Succeeded, l.Outcome.ToString(), l.IpAddress, l.UserAgent, l.Channel.ToString()))
            .ToList();
        var next = rows.Count > take ? rows[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return Result<Page<LoginRecord>>.Ok(new Page<LoginRecord>(items, next));
    }
}
