using System.Globalization;
using Bank.Core;
using Bank.Core.Audit;
using Bank.Core.Reports;
using Bank.Web.Infrastructure;

namespace Bank.Web.Api;

/// <summary>The audit trail, read-only: there is no route that changes or deletes an entry.</summary>
public static class AuditEndpoints
{
    /// <summary>Maps <c>/audit</c>.</summary>
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").RequireAuthorization(Policies.Administrators)
            .WithSummary("The audit trail, newest first, keyset-paged (actor, target, action, from, to, cursor, limit); a Super_Admin reads every "
                + "entry, an Admin those about Employees and Customers. Every entry of the filter as CSV with Accept: text/csv or format=csv.");
        return api;
    }

    private static async Task<IResult> ListAsync(
        [AsParameters] AuditQuery query, string? format, HttpRequest request, Actor actor, AuditLog log, BankCalendar calendar, CancellationToken ct)
    {
        if (Csv.Wanted(format, request))
        {
            // Named by the bank's local date and time, as its times are written.
            var name = $"audit-{calendar.FileStamp(calendar.Now)}.csv";
            return log.Export(actor, query, ct).Match(rows => Csv.File(name, AuditCsv.Header, rows, e => AuditCsv.Row(e, calendar), ct), Problems.Result);
        }

        return (await log.ListAsync(actor, query, ct)).Match<IResult>(TypedResults.Ok, Problems.Result);
    }
}

/// <summary>CSV of audit entries: RFC 4180 quoting, ISO 8601 times in the bank's time zone.</summary>
public static class AuditCsv
{
    /// <summary>The header row (the API's field names).</summary>
    public const string Header = "id,at,actorUserId,actorName,action,targetUserId,targetName,details,ipAddress";

    /// <summary>One entry as a CSV row.</summary>
    public static string Row(AuditEntry e, BankCalendar calendar) => string.Join(',',
        e.Id.ToString(CultureInfo.InvariantCulture),
        CsvFields.Time(e.At, calendar),
        e.ActorUserId ?? "",
        CsvFields.Text(e.ActorName),
        e.Action,
        e.TargetUserId ?? "",
        CsvFields.Text(e.TargetName),
        CsvFields.Text(e.Details),
        e.IpAddress ?? "");
}
