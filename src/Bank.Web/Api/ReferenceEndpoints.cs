using Bank.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bank.Web.Api;

public sealed record StateItem(string Name, string Type);

/// <summary>Roles, statuses, Indian states and their cities, for forms and clients.</summary>
public static class ReferenceEndpoints
{
    public static RouteGroupBuilder MapReferenceEndpoints(this RouteGroupBuilder api)
    {
        var reference = api.MapGroup("/reference").WithTags("Reference data");
        reference.MapGet("/roles", () => TypedResults.Ok(Roles.All.Select(r => r.Name()).ToList())).WithSummary("The roles.");
        reference.MapGet("/statuses", () => TypedResults.Ok(Enum.GetNames<UserStatus>())).WithSummary("The stored user statuses.");
        reference.MapGet("/states", () => TypedResults.Ok(ReferenceData.Instance.States.Select(s => new StateItem(s.Name, s.Type)).ToList()))
            .WithSummary("Indian states and union territories.");
        reference.MapGet("/states/{state}/cities", Cities).WithSummary("The main cities of one state or union territory.");
        return api;
    }

    private static Results<Ok<IReadOnlyList<string>>, ProblemHttpResult> Cities(string state) =>
        ReferenceData.Instance.FindState(state) is { } found
            ? TypedResults.Ok(found.Cities)
            : Infrastructure.Problems.Result(Bank.Core.Failure.NotFound($"'{state}' is not an Indian state or union territory."));
}
