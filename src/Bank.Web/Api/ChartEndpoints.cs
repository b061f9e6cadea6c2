using System.Globalization;
using Bank.Core;
using Bank.Core.Charts;
using Bank.Core.Reports;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bank.Web.Api;

/// <summary>The charts as PNG pictures (SPEC §6): a customer's six months, the staff dashboard's days. <c>size=phone</c> gives the narrow one.</summary>
public static class ChartEndpoints
{
    /// <summary>Maps <c>/charts</c>.</summary>
    public static RouteGroupBuilder MapChartEndpoints(this RouteGroupBuilder api)
    {
        var charts = api.MapGroup("/charts").WithTags("Charts");
        charts.MapGet("/transactions", SixMonthsAsync).Fails(FailureTypes.Forbidden, FailureTypes.NotFound).ReturnsFile("image/png", "The chart as a PNG picture (an attachment).")
            .WithSummary("The 6-month chart of an account as a PNG attachment: a customer's own; staff name the customer with userId.");
        charts.MapGet("/daily-flows", DailyFlowsAsync).RequireAuthorization(Policies.Staff).ReturnsFile("image/png", "The chart as a PNG picture (an attachment).")
            .WithSummary("Staff: deposits and withdrawals per day over the last 30 days, as a PNG.");
        charts.MapGet("/daily-sign-ins", DailySignInsAsync).RequireAuthorization(Policies.Staff).ReturnsFile("image/png", "The chart as a PNG picture (an attachment).")
            .WithSummary("Staff: successful sign-ins per day over the last 30 days, as a PNG.");
        return api;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SixMonthsAsync(
        string? userId, string? size, Actor actor, AccountHistories histories, ChartRenderer charts, CancellationToken ct)
    {
        if (!Size(size).TryGet(out var picture, out var invalid))
        {
            return Problems.Result(invalid);
        }

        return (await histories.SixMonthsAsync(actor, userId, ct)).ToHttp(history => TypedResults.File(
            charts.SixMonths(history, picture), "image/png", $"transactions-{history.AccountNumber}-{Day(history.To)}.png"));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DailyFlowsAsync(
        string? size, Actor actor, Dashboards dashboards, ChartRenderer charts, CancellationToken ct)
    {
        if (!Size(size).TryGet(out var picture, out var invalid))
        {
            return Problems.Result(invalid);
        }

        return (await dashboards.StaffFiguresAsync(actor, ct)).ToHttp(f => TypedResults.File(
            charts.DailyFlows(f.DailyFlows, f.From, f.To, picture), "image/png", $"daily-flows-{Day(f.To)}.png"));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DailySignInsAsync(
        string? size, Actor actor, Dashboards dashboards, ChartRenderer charts, CancellationToken ct)
    {
        if (!Size(size).TryGet(out var picture, out var invalid))
        {
            return Problems.Result(invalid);
        }

        return (await dashboards.StaffFiguresAsync(actor, ct)).ToHttp(f => TypedResults.File(
            charts.DailyCounts("Sign-ins per day", f.SignInsPerDay, f.From, f.To, picture), "image/png", $"daily-sign-ins-{Day(f.To)}.png"));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Result<ChartSize> Size(string? size) => size?.Trim().ToLowerInvariant() switch
    {
        null or "" or "desktop" => ChartSize.Desktop,
        "phone" => ChartSize.Phone,
        _ => Failure.Validation("size", "Must be desktop or phone."),
    };
}
