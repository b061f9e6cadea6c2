using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Auth;

/// <summary>One sign-in attempt as the history shows it.</summary>
public sealed record LoginRecord(DateTimeOffset At, bool Succeeded, LoginOutcome Outcome, string? IpAddress, string? UserAgent, Channel Channel);

/// <summary>Paging of a login history (the API's query names).</summary>
/// <param name="Cursor">The previous page's nextCursor.</param>
/// <param name="Limit">Attempts per page.</param>
public sealed record LoginQuery(string? Cursor = null, int? Limit = null) : IPageQuery;

/// <summary>Reads login history: users their own, administrators anyone's. Newest first, keyset-paged.</summary>
public sealed class LoginHistory(BankDbContext db)
{
    /// <summary>The actor's own sign-in attempts.</summary>
    public Task<Result<Page<LoginRecord>>> OwnAsync(Actor actor, LoginQuery query, CancellationToken ct) =>
        PageAsync(actor.UserId, query, ct);

    /// <summary>Another user's sign-in attempts; administrators only.</summary>
    public async Task<Result<Page<LoginRecord>>> ForUserAsync(Actor actor, string userId, LoginQuery query, CancellationToken ct)
    {
        if (!actor.Role.IsAdministrator())
        {
            return Failure.Forbidden("Only administrators can see other users' login history.");
        }

        if (!UserId.TryParse(userId, out var id) || !await db.Users.AnyAsync(u => u.Id == id.Value, ct))
        {
            return UserDirectory.NoSuchUser(userId);
        }

        return await PageAsync(id, query, ct);
    }

    /// <summary>The sort key of an attempt: newest first by id.</summary>
    private sealed record AttemptKey(long Id);

    private async Task<Result<Page<LoginRecord>>> PageAsync(UserId userId, LoginQuery query, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var window = query.Window<AttemptKey>("logins", errors);
        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        var before = window.After?.Id ?? long.MaxValue;
        var rows = await db.LoginAttempts.AsNoTracking()
            .Where(l => l.UserId == userId.Value && l.Id < before)
            .OrderByDescending(l => l.Id)
            .Take(window.Fetch)
            .ToListAsync(ct);
        return window.ToPage(rows, l => new AttemptKey(l.Id), l => new LoginRecord(l.At, l.Succeeded, l.Outcome, l.IpAddress, l.UserAgent, l.Channel));
    }
}
