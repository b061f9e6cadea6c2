using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bank.Web.Api;

public sealed record AddressRequest(string? Street, string? City, string? State);

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
    public NewUser ToNewUser() => new(FirstName, LastName, Email, DateOfBirth, PhoneNumbers, Gender, Address?.Street, Address?.City, Address?.State, Role);
}

public sealed record UpdateUserRequest(string? Role, string? Status);

public sealed record TemporaryPasswordResponse(string TemporaryPassword);

public sealed record UnlockResponse(bool WasLocked);

/// <summary>A user as the API shows it to staff: the list fields plus address, account and lockout.</summary>
public sealed record UserResponse(
    string UserId,
    string FirstName,
    string LastName,
    string Email,
    IReadOnlyList<string> PhoneNumbers,
    string Role,
    string Gender,
    DateOnly DateOfBirth,
    string Status,
    string ActivityStatus,
    DateTimeOffset? LastLoginAt,
    UserAddress Address,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    bool MustChangePassword,
    DateTimeOffset? LockedUntil,
    AccountView? Account)
{
    public static UserResponse From(UserDetails d) => new(
        d.User.UserId, d.User.FirstName, d.User.LastName, d.User.Email, d.User.PhoneNumbers, d.User.Role, d.User.Gender,
        d.User.DateOfBirth, d.User.Status, d.User.ActivityStatus, d.User.LastLoginAt, d.Address, d.CreatedBy, d.CreatedAt,
        d.MustChangePassword, d.LockedUntil, d.Account);
}

/// <summary>Users: create, list, details, role and status, password reset, unlock, login history (SPEC §1–2).</summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Staff);

        users.MapPost("/", CreateAsync).RequireAuthorization(Policies.Administrators)
            .WithSummary("Create a user; the one-time password is returned once. Customers get an account in the same transaction.");
        users.MapGet("/", ListAsync).WithSummary("Search and filter users; keyset-paged.");
        users.MapGet("/{userId}", GetAsync).WithSummary("One user, with the account for customers.");
        users.MapPatch("/{userId}", UpdateAsync).RequireAuthorization(Policies.Administrators)
            .WithSummary("Change a user's role and/or status; ends their sessions.");
        users.MapPost("/{userId}/reset-password", ResetPasswordAsync).RequireAuthorization(Policies.Administrators)
            .WithSummary("Give the user a new one-time password (returned once); ends their sessions.");
        users.MapPost("/{userId}/unlock", UnlockAsync).RequireAuthorization(Policies.Administrators)
            .WithSummary("Lift a sign-in lockout.");
        users.MapGet("/{userId}/logins", LoginsAsync).RequireAuthorization(Policies.Administrators)
            .WithSummary("That user's login history, newest first.");
        return api;
    }

    private static async Task<Results<Created<CreatedUser>, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, HttpContext context, UserService users, CancellationToken ct)
    {
        var result = await users.CreateAsync(context.ToActor(), request.ToNewUser(), ct);
        return result.Failure is { } failure
            ? Problems.Result(failure)
            : TypedResults.Created($"/api/v1/users/{result.Value!.UserId}", result.Value);
    }

    private static async Task<Results<Ok<Page<UserSummary>>, ProblemHttpResult>> ListAsync(
        string? q, string? role, string? status, string? activity, string? sort, string? cursor, int? limit,
        HttpContext context, UserService users, CancellationToken ct)
    {
        var result = await users.ListAsync(context.ToActor(), new UserQuery(q, role, status, activity, sort, cursor, limit), ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(result.Value);
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetAsync(
        string userId, HttpContext context, UserService users, CancellationToken ct)
    {
        var result = await users.GetAsync(context.ToActor(), userId, ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(UserResponse.From(result.Value!));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateAsync(
        string userId, UpdateUserRequest request, HttpContext context, UserService users, CancellationToken ct)
    {
        var result = await users.ChangeAsync(context.ToActor(), userId, new UserChange(request.Role, request.Status), ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(UserResponse.From(result.Value!));
    }

    private static async Task<Results<Ok<TemporaryPasswordResponse>, ProblemHttpResult>> ResetPasswordAsync(
        string userId, HttpContext context, UserService users, CancellationToken ct)
    {
        var result = await users.ResetPasswordAsync(context.ToActor(), userId, ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(new TemporaryPasswordResponse(result.Value!));
    }

    private static async Task<Results<Ok<UnlockResponse>, ProblemHttpResult>> UnlockAsync(
        string userId, HttpContext context, UserService users, CancellationToken ct)
    {
        var result = await users.UnlockAsync(context.ToActor(), userId, ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(new UnlockResponse(result.Value));
    }

    private static async Task<Results<Ok<Page<LoginRecord>>, ProblemHttpResult>> LoginsAsync(
        string userId, string? cursor, int? limit, HttpContext context, LoginHistory history, CancellationToken ct)
    {
        var result = await history.ForUserAsync(context.ToActor(), userId, cursor, limit, ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(result.Value);
    }
}
