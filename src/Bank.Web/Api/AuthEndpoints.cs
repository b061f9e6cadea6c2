using Bank.Core;
using Bank.Core.Auth;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Api;

public sealed record LoginRequest(string? UserId, string? Password);

public sealed record LoginResponse(string UserId, string Role, bool MustChangePassword, string? AccessToken, int ExpiresIn);

public sealed record MeResponse(string UserId, string FirstName, string LastName, string Role, string Status, bool MustChangePassword);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record AntiforgeryResponse(string Token, string HeaderName);

/// <summary>Sign-in, sign-out, the signed-in user, own password and login history.</summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication");

        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(WebServices.SignInLimit)
            .WithSummary("Sign in with User ID and password; returns a bearer token, or sets the session cookie with ?useCookies=true.");
        auth.MapPost("/logout", LogoutAsync).WithSummary("End the current session.");
        auth.MapGet("/me", MeAsync).WithSummary("The signed-in user.");
        auth.MapPost("/change-password", ChangePasswordAsync).WithSummary("Change your own password (the current one is required).");
        auth.MapGet("/logins", OwnLoginsAsync).WithSummary("Your own login history, newest first.");
        auth.MapGet("/antiforgery", Antiforgery)
            .WithSummary("The antiforgery token that cookie-authenticated clients send in X-CSRF-TOKEN on state-changing calls.");
        return api;
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, bool? useCookies, HttpContext context, SignInService signIn, SessionService sessions, CancellationToken ct)
    {
        var channel = useCookies == true ? SessionChannel.Web : SessionChannel.Api;
        var result = await signIn.SignInAsync(request.UserId, request.Password, channel, context.ToClient(), ct);
        if (result.Failure is { } failure)
        {
            return Problems.Result(failure);
        }

        var signedIn = result.Value!;
        var expiresIn = (int)(signedIn.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds;
        if (useCookies == true)
        {
            await SessionCookie.ReplaceAsync(context, sessions, signedIn, ct);
            return TypedResults.Ok(new LoginResponse(signedIn.UserIdText, signedIn.Role.Name(), signedIn.MustChangePassword, null, expiresIn));
        }

        return TypedResults.Ok(new LoginResponse(signedIn.UserIdText, signedIn.Role.Name(), signedIn.MustChangePassword, signedIn.Token, expiresIn));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context, SessionService sessions, CancellationToken ct)
    {
        await SessionCookie.EndAsync(context, sessions, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> MeAsync(HttpContext context, Bank.Core.Data.BankDbContext db, CancellationToken ct)
    {
        var actor = context.ToActor();
        var me = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
            .Select(u => new { u.FirstName, u.LastName, u.Role, u.Status, u.MustChangePassword })
            .FirstOrDefaultAsync(ct);
        if (me is null)
        {
            return Problems.Result(Failure.NotFound("The signed-in user no longer exists."));
        }

        return TypedResults.Ok(new MeResponse(actor.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            me.FirstName, me.LastName, me.Role.Name(), me.Status.ToString(), me.MustChangePassword));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext context, PasswordService passwords, CancellationToken ct)
    {
        var result = await passwords.ChangeAsync(context.ToActor(), request.CurrentPassword, request.NewPassword, ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Page<LoginRecord>>, ProblemHttpResult>> OwnLoginsAsync(
        string? cursor, int? limit, HttpContext context, LoginHistory history, CancellationToken ct)
    {
        var result = await history.OwnAsync(context.ToActor(), cursor, limit, ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(result.Value);
    }

    private static Ok<AntiforgeryResponse> Antiforgery(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryResponse(tokens.RequestToken!, tokens.HeaderName!));
    }
}
