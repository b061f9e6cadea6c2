using Bank.Core;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bank.Web.Api;

/// <summary>A state or union territory as the reference list names it.</summary>
public sealed record StateItem(string Name, string Type);

/// <summary>Roles, statuses, Indian states and their cities, for forms and clients.</summary>
public static class ReferenceEndpoints
{
    /// <summary>Maps <c>/reference</c>.</summary>
    public static RouteGroupBuilder MapReferenceEndpoints(this RouteGroupBuilder api)
    {
        var reference = api.MapGroup("/reference").WithTags("Reference data");
        reference.MapGet("/roles", () => TypedResults.Ok(Roles.All)).WithSummary("The roles.");
        reference.MapGet("/statuses", () => TypedResults.Ok(Enum.GetValues<UserStatus>())).WithSummary("The stored user statuses.");
        reference.MapGet("/states", () => TypedResults.Ok(ReferenceData.Instance.States.Select(s => new StateItem(s.Name, s.Type)).ToList()))
            .WithSummary("Indian states and union territories.");
        reference.MapGet("/states/{state}/cities", Cities).Fails(FailureTypes.NotFound).WithSummary("The main cities of one state or union territory.");
        return api;
    }

    private static Results<Ok<IReadOnlyList<string>>, ProblemHttpResult> Cities(string state) =>
        ReferenceData.Instance.FindState(state) is { } found
            ? TypedResults.Ok(found.Cities)
            : Problems.Result(Failure.NotFound($"'{state}' is not an Indian state or union territory."));
}
