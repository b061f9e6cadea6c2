using System.Runtime.CompilerServices;
using Bank.Core.Data;
using Bank.Core.Reports;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Audit;

/// <summary>One entry of the audit trail as people read it: who (and their name), what, to whom, when, from where.</summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string? ActorUserId,
    string? ActorName,
    string Action,
    string? TargetUserId,
    string? TargetName,
    string? Details,
    string? IpAddress);

/// <summary>Filters and paging of the audit trail (the API's query names; the page binds the same record).</summary>
/// <param name="Actor">Entries by this User ID.</param>
/// <param name="Target">Entries about this User ID.</param>
/// <param name="Action">One action, for example <c>user.status-changed</c> (<see cref="AuditActions.All"/>).</param>
/// <param name="From">A date (a whole day in the bank's time zone) or an ISO 8601 time with an offset.</param>
/// <param name="To">Up to and including this date or time.</param>
/// <param name="Cursor">The previous page's nextCursor.</param>
/// <param name="Limit">Entries per page (the CSV takes every page).</param>
public sealed record AuditQuery(
    string? Actor = null,
    string? Target = null,
    string? Action = null,
    string? From = null,
    string? To = null,
    string? Cursor = null,
    int? Limit = null) : IPageQuery;

/// <summary>
/// Reading the audit trail, newest first, keyset-paged, or all of a filter as CSV. A Super_Admin reads every entry; an Admin
/// the entries about Employees and Customers (the entry's target, or its actor when it has none, has one of those roles
/// now); nobody else any. The product only ever appends to the trail: nothing here or elsewhere changes or deletes an entry.
/// </summary>
public sealed class AuditLog(BankDbContext db, BankCalendar calendar)
{
    private const string List = "audit";

    /// <summary>One page of entries.</summary>
    public async Task<Result<Page<AuditEntry>>> ListAsync(Actor actor, AuditQuery query, CancellationToken ct)
    {
        if (!Select(actor, query).TryGet(out var selection, out var invalid))
        {
            return invalid;
        }

        var rows = await selection.Rows.Take(selection.Window.Fetch).ToListAsync(ct);
        return selection.Window.ToPage(rows, r => new EntryKey(r.Id), r => r.ToEntry());
    }

    /// <summary>Every entry of the filter (no limit), streamed newest first, for the CSV.</summary>
    public Result<IAsyncEnumerable<AuditEntry>> Export(Actor actor, AuditQuery query, CancellationToken ct) =>
        Select(actor, query with { Limit = null }).Map(s => Stream(s.Rows, ct));

    private static async IAsyncEnumerable<AuditEntry> Stream(IQueryable<Row> rows, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return row.ToEntry();
        }
    }

    /// <summary>An entry as the database gives it, with the names of its users.</summary>
    private sealed record Row(long Id, DateTimeOffset At, long? ActorUserId, string? ActorName, string Action, long? TargetUserId, string? TargetName, string? Details, string? IpAddress)
    {
        public AuditEntry ToEntry() => new(Id, At, Text(ActorUserId), ActorName, Action, Text(TargetUserId), TargetName, Details, IpAddress);

        private static string? Text(long? userId) => userId is { } id ? new UserId(id).ToString() : null;
    }

    /// <summary>The sort key of an entry: newest first by id (the order of recording).</summary>
    private sealed record EntryKey(long Id);

    private sealed record Selection(IQueryable<Row> Rows, PageWindow<EntryKey> Window);

    private Result<Selection> Select(Actor actor, AuditQuery query)
    {
        if (!actor.Role.IsAdministrator())
        {
            return Failure.Forbidden("Only administrators can read the audit trail.");
        }

        var errors = new FieldErrors();
        var events = db.AuditEvents.AsNoTracking();
        if (actor.Role != Role.SuperAdmin)
        {
            // An Admin reads what concerns the people they manage: the target, or the actor of an entry without one.
            var managed = db.Users.Where(u => u.Role == Role.Employee || u.Role == Role.Customer).Select(u => u.Id);
            events = events.Where(e => e.TargetUserId != null ? managed.Contains(e.TargetUserId.Value) : e.ActorUserId != null && managed.Contains(e.ActorUserId.Value));
        }

        if (UserFilter(query.Actor, "actor", errors) is { } by)
        {
            events = events.Where(e => e.ActorUserId == by);
        }

        if (UserFilter(query.Target, "target", errors) is { } about)
        {
            events = events.Where(e => e.TargetUserId == about);
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim().ToLowerInvariant();
            if (AuditActions.All.Contains(action))
            {
                events = events.Where(e => e.Action == action);
            }
            else
            {
                errors.Add("action", "Must be one of " + string.Join(", ", AuditActions.All) + ".");
            }
        }

        var (from, to) = calendar.ParseRange(query.From, query.To, errors);
        if (from is { } f)
        {
            events = events.Where(e => e.At >= f);
        }

        if (to is { } t)
        {
            events = events.Where(e => e.At < t);
        }

        var window = query.Window<EntryKey>(List, errors);
        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        if (window.After is { } after)
        {
            events = events.Where(e => e.Id < after.Id);
        }

        var rows = events.OrderByDescending(e => e.Id).Select(e => new Row(
            e.Id,
            e.At,
            e.ActorUserId,
            db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.FirstName + " " + u.LastName).FirstOrDefault(),
            e.Action,
            e.TargetUserId,
            db.Users.Where(u => u.Id == e.TargetUserId).Select(u => u.FirstName + " " + u.LastName).FirstOrDefault(),
            e.Details,
            e.IpAddress));
        return new Selection(rows, window);
    }

    private static long? UserFilter(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (UserId.TryParse(text.Trim(), out var id))
        {
            return id.Value;
        }

        errors.Add(field, "Must be a User ID (digits only).");
        return null;
    }
}
