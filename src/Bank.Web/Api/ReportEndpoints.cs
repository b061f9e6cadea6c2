using Bank.Core;
using Bank.Core.Jobs;
using Bank.Core.Reports;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Bank.Web.Api;

/// <summary>The dashboards (each role its own) and the monthly login statistics (SPEC §6).</summary>
public static class ReportEndpoints
{
    /// <summary>Maps <c>/dashboard</c> and <c>/reports</c>.</summary>
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/dashboard", DashboardAsync).WithTags("Dashboards").Fails(FailureTypes.Forbidden)
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                // Two answers on one status: the framework would describe only the last; staff get the first, a customer the second.
                var answers = new List<IOpenApiSchema>();
                foreach (var type in new[] { typeof(StaffDashboard), typeof(CustomerDashboard) })
                {
                    context.Document!.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
                    answers.Add(new OpenApiSchemaReference(type.Name, context.Document));
                }

                operation.Responses!["200"].Content!["application/json"].Schema = new OpenApiSchema { OneOf = answers };
            })
            .WithSummary("Staff: the bank's figures (the total of balances for administrators only). A customer: their account, month and latest lines.");
        api.MapGet("/reports/monthly-logins", MonthlyLoginsAsync).WithTags("Reports").RequireAuthorization(Policies.SuperAdmin)
            .Produces<MonthlyLoginReport>().ReturnsFile("text/csv", "Every row of the month as CSV (Accept: text/csv or format=csv).")
            .WithSummary("Sign-ins and failed attempts per user in a month (YYYY-MM, the bank's time zone): the month's totals and a page of rows "
                + "(cursor, limit) as JSON, or every row as CSV with Accept: text/csv or format=csv.");
        api.MapPost("/reports/monthly-logins/send", SendMonthlyLoginsAsync).WithTags("Reports").RequireAuthorization(Policies.SuperAdmin)
            .WithSummary("Queues this month's login report so far for every active Super_Admin and the configured addresses (202).");
        return api;
    }

    private static async Task<Results<Accepted<ReportQueued>, ProblemHttpResult>> SendMonthlyLoginsAsync(Actor actor, MonthlyReports reports, CancellationToken ct) =>
        (await reports.SendMonthToDateAsync(actor, ct)).ToHttp(n => TypedResults.Accepted((string?)null, new ReportQueued(n)));

    private static async Task<Results<Ok<StaffDashboard>, Ok<CustomerDashboard>, ProblemHttpResult>> DashboardAsync(
        Actor actor, Dashboards dashboards, CancellationToken ct) =>
        actor.Role.IsStaff()
            ? (await dashboards.StaffAsync(actor, ct)).Match<Results<Ok<StaffDashboard>, Ok<CustomerDashboard>, ProblemHttpResult>>(d => TypedResults.Ok(d), f => Problems.Result(f))
            : (await dashboards.CustomerAsync(actor, ct)).Match<Results<Ok<StaffDashboard>, Ok<CustomerDashboard>, ProblemHttpResult>>(d => TypedResults.Ok(d), f => Problems.Result(f));

    private static async Task<IResult> MonthlyLoginsAsync(
        [AsParameters] MonthlyLoginQuery query, string? format, HttpRequest request, Actor actor, MonthlyLogins logins, BankCalendar calendar, CancellationToken ct)
    {
        var csv = Csv.Wanted(format, request);
        var report = csv ? await logins.ExportAsync(actor, query, ct) : await logins.ForMonthAsync(actor, query, ct);
        return report.Match(
            r => csv ? Csv.File($"monthly-logins-{r.Month}.csv", MonthlyLoginCsv.Header, r.Users.ToAsyncEnumerable(), u => MonthlyLoginCsv.Row(u, calendar), ct) : TypedResults.Ok(r),
            Problems.Result);
    }
}

/// <summary>The answer to a report sent on demand: how many recipients it was queued for.</summary>
public sealed record ReportQueued(int Recipients);
