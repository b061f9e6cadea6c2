using System.Text.Json.Serialization;
using Bank.Core;
using Bank.Core.Auth;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bank.Web.Api;

/// <summary>The body of POST /auth/login.</summary>
public sealed record LoginRequest(string? UserId, string? Password);

/// <summary>
/// A successful sign-in: the bearer token (none in cookie mode) and its lifetime in seconds; <c>twoFactor</c> (only when
/// a second step is due) says that a code is <c>required</c> or that a second factor must be enrolled (<c>enrol</c>).
/// </summary>
public sealed record LoginResponse(
    string UserId,
    Role Role,
    bool MustChangePassword,
    string? AccessToken,
    int ExpiresIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TwoFactorStep? TwoFactor);

/// <summary>The body of POST /auth/two-factor/confirm.</summary>
public sealed record TwoFactorConfirmRequest(string? Code);

/// <summary>The body of POST /auth/two-factor: the authenticator's code or one recovery code.</summary>
public sealed record TwoFactorRequest(string? Code, string? RecoveryCode);

/// <summary>The body of POST /auth/change-password.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>The antiforgery token of a cookie-authenticated client and the header to send it in.</summary>
public sealed record AntiforgeryResponse(string Token, string HeaderName);

/// <summary>Sign-in (and its second factor), sign-out, the signed-in user, own password and login history.</summary>
public static class AuthEndpoints
{
    /// <summary>Maps <c>/auth</c>.</summary>
    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication");

        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(WebServices.SignInLimit)
            .Fails(FailureTypes.InvalidCredentials, FailureTypes.AccountLocked, FailureTypes.UserNotActive)
            .WithSummary("Sign in with User ID and password; returns a bearer token, or sets the session cookie with ?useCookies=true.");
        auth.MapPost("/logout", LogoutAsync).WithSummary("End the current session.");
        auth.MapGet("/me", (Actor actor, UserDirectory users, CancellationToken ct) => users.MeAsync(actor, ct).ToOkAsync())
            .Fails(FailureTypes.NotFound)
            .WithSummary("The signed-in user.");
        auth.MapPost("/change-password", (ChangePasswordRequest request, Actor actor, PasswordService passwords, CancellationToken ct) =>
                passwords.ChangeAsync(actor, request.CurrentPassword, request.NewPassword, ct).ToHttpAsync(_ => TypedResults.NoContent()))
            .Fails(FailureTypes.AccountLocked, FailureTypes.NotFound)
            .WithSummary("Change your own password (the current one is required).");
        auth.MapGet("/logins", ([AsParameters] LoginQuery query, Actor actor, LoginHistory history, CancellationToken ct) =>
                history.OwnAsync(actor, query, ct).ToOkAsync())
            .WithSummary("Your own login history, newest first.");
        auth.MapPost("/two-factor", SecondStepAsync).RequireRateLimiting(WebServices.SignInLimit)
            .Fails(FailureTypes.AccountLocked, FailureTypes.Conflict)
            .WithSummary("The second step of a sign-in: the authenticator's code or one recovery code completes the session.");
        auth.MapPost("/two-factor/enrol", (Actor actor, TwoFactorService twoFactor, CancellationToken ct) => twoFactor.EnrolAsync(actor, ct).ToOkAsync())
            .RequireRateLimiting(WebServices.SignInLimit).Fails(FailureTypes.Conflict)
            .WithSummary("Start enrolling a second factor (TOTP: SHA-1, 6 digits, 30 s): the secret and its otpauth URI.");
        auth.MapPost("/two-factor/confirm", (TwoFactorConfirmRequest request, Actor actor, TwoFactorService twoFactor, CancellationToken ct) =>
                twoFactor.ConfirmAsync(actor, request.Code, ct).ToOkAsync())
            .RequireRateLimiting(WebServices.SignInLimit).Fails(FailureTypes.AccountLocked, FailureTypes.Conflict)
            .WithSummary("Confirm the enrolment with a first code: the second factor is on, and the ten recovery codes are returned once.");
        auth.MapGet("/antiforgery", Antiforgery)
            .WithSummary("The antiforgery token that cookie-authenticated clients send in X-CSRF-TOKEN on state-changing calls.");
        return api;
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, bool? useCookies, HttpContext context, SignInService signIn, SessionCookie sessionCookie, CancellationToken ct)
    {
        var cookie = useCookies == true;
        var result = await signIn.SignInAsync(
            request.UserId, request.Password, cookie ? Channel.Web : Channel.Api, context.ToClient(), ct, replacing: cookie ? sessionCookie.Of(context) : null);
        if (result.TryGet(out var signedIn, out _) && cookie)
        {
            sessionCookie.Set(context, signedIn);
        }

        return result.ToHttp(s => TypedResults.Ok(new LoginResponse(
            s.UserId.ToString(), s.Role, s.MustChangePassword, cookie ? null : s.Token, (int)s.Lifetime.TotalSeconds, s.TwoFactor)));
    }

    private static async Task<Results<Ok<SignedInUser>, ProblemHttpResult>> SecondStepAsync(
        TwoFactorRequest request, Actor actor, TwoFactorService twoFactor, UserDirectory users, CancellationToken ct)
    {
        var done = await twoFactor.VerifyAsync(actor, request.Code, request.RecoveryCode, ct);
        return done.TryGet(out _, out var failure) ? (await users.MeAsync(actor, ct)).ToOk() : Problems.Result(failure);
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context, SessionService sessions, SessionCookie sessionCookie, CancellationToken ct)
    {
        await sessionCookie.EndAsync(context, sessions, ct);
        return TypedResults.NoContent();
    }

    private static Ok<AntiforgeryResponse> Antiforgery(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryResponse(tokens.RequestToken!, tokens.HeaderName!));
    }
}
