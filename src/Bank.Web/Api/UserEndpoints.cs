using Bank.Core;
using Bank.Core.Auth;
using Bank.Core.Users;
using Bank.Web.Infrastructure;

namespace Bank.Web.Api;

/// <summary>An address in a new user's body.</summary>
public sealed record AddressRequest(string? Street, string? City, string? State);

/// <summary>The body of POST /users.</summary>
public sealed record CreateUserRequest(
    string? FirstName,
    string? LastName,
    string? Email,
    string? DateOfBirth,
    List<string?>? PhoneNumbers,
    string? Gender,
    AddressRequest? Address,
    string? Role)
{
    /// <summary>The request as Core's input.</summary>
    public NewUser ToNewUser() => new(FirstName, LastName, Email, DateOfBirth, PhoneNumbers, Gender, Address?.Street, Address?.City, Address?.State, Role);
}

/// <summary>The optional body of an administrator's action on a user (password reset, unlock): why, for the audit trail.</summary>
/// <param name="Reason">Why (optional, at most 200 characters); kept in the audit entry of the action.</param>
public sealed record ReasonRequest(string? Reason = null);

/// <summary>A new one-time password, shown once.</summary>
public sealed record TemporaryPasswordResponse(string TemporaryPassword);

/// <summary>Whether an unlock lifted a lockout.</summary>
public sealed record UnlockResponse(bool WasLocked);

/// <summary>Users: create, list, details, role and status, password reset, unlock, second-factor reset, login history (SPEC §1–2).</summary>
public static class UserEndpoints
{
    /// <summary>Maps <c>/users</c>.</summary>
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Staff);

        users.MapPost("/", (CreateUserRequest request, Actor actor, UserEnrolment enrolment, CancellationToken ct) =>
                enrolment.CreateAsync(actor, request.ToNewUser(), ct).ToHttpAsync(created => TypedResults.Created($"/api/v1/users/{created.UserId}", created)))
            .RequireAuthorization(Policies.Administrators).Fails(FailureTypes.Forbidden)
            .WithSummary("Create a user; the one-time password is returned once. Customers get an account in the same transaction.");
        users.MapGet("/", ([AsParameters] UserQuery query, Actor actor, UserDirectory directory, CancellationToken ct) =>
                directory.ListAsync(actor, query, ct).ToOkAsync())
            .WithSummary("Search and filter users; keyset-paged.");
        users.MapGet("/{userId}", (string userId, Actor actor, UserDirectory directory, CancellationToken ct) =>
                directory.GetAsync(actor, userId, ct).ToOkAsync())
            .Fails(FailureTypes.NotFound)
            .WithSummary("One user, with the account for customers, and actions: each administrative action the caller may take on the user now, or why not.");
        users.MapPatch("/{userId}", (string userId, UserChange change, Actor actor, UserAdministration administration, CancellationToken ct) =>
                administration.ChangeAsync(actor, userId, change, ct).ToOkAsync())
            .RequireAuthorization(Policies.Administrators).Fails(FailureTypes.NotFound, FailureTypes.Conflict, FailureTypes.LastSuperAdmin)
            .WithSummary("Change a user's role and/or status (with an optional reason for the audit trail); ends their sessions. A Customer whose account is open keeps the role (409).");
        users.MapPost("/{userId}/reset-password", (string userId, ReasonRequest? request, Actor actor, UserAdministration administration, CancellationToken ct) =>
                administration.ResetPasswordAsync(actor, userId, request?.Reason, ct).ToHttpAsync(password => TypedResults.Ok(new TemporaryPasswordResponse(password))))
            .RequireAuthorization(Policies.Administrators).Fails(FailureTypes.NotFound)
            .WithSummary("Give the user a new one-time password (returned once); ends their sessions. The body is optional: {\"reason\"} goes in the audit entry.");
        users.MapPost("/{userId}/unlock", (string userId, ReasonRequest? request, Actor actor, UserAdministration administration, CancellationToken ct) =>
                administration.UnlockAsync(actor, userId, request?.Reason, ct).ToHttpAsync(wasLocked => TypedResults.Ok(new UnlockResponse(wasLocked))))
            .RequireAuthorization(Policies.Administrators).Fails(FailureTypes.NotFound)
            .WithSummary("Lift a sign-in lockout. The body is optional: {\"reason\"} goes in the audit entry.");
        users.MapDelete("/{userId}/two-factor", (string userId, Actor actor, UserAdministration administration, CancellationToken ct) =>
                administration.ResetTwoFactorAsync(actor, userId, null, ct).ToHttpAsync(_ => TypedResults.NoContent()))
            .RequireAuthorization(Policies.Administrators).Fails(FailureTypes.NotFound)
            .WithSummary("Remove the user's second factor (they enrol again where one is required); ends their sessions.");
        users.MapGet("/{userId}/logins", (string userId, [AsParameters] LoginQuery query, Actor actor, LoginHistory history, CancellationToken ct) =>
                history.ForUserAsync(actor, userId, query, ct).ToOkAsync())
            .RequireAuthorization(Policies.Administrators).Fails(FailureTypes.NotFound)
            .WithSummary("That user's login history, newest first.");
        return api;
    }
}
