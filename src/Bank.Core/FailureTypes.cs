namespace Bank.Core;

/// <summary>What kind of refusal a failure is; the web layer turns each kind into one HTTP status.</summary>
public enum FailureKind
{
    /// <summary>The input breaks a rule (400).</summary>
    BadInput,

    /// <summary>No valid sign-in, or a sign-in that was refused (401).</summary>
    Unauthenticated,

    /// <summary>Signed in, but not allowed (403).</summary>
    Forbidden,

    /// <summary>Nothing the actor may see has this identity (404).</summary>
    NotFound,

    /// <summary>The state of the thing forbids it now (409).</summary>
    Conflict,

    /// <summary>Well-formed, but the bank refuses it (422).</summary>
    Refused,

    /// <summary>Too many attempts; try again later (429).</summary>
    Throttled,

    /// <summary>The body is not in a format the endpoint reads (415).</summary>
    UnsupportedFormat,
}

/// <summary>One row of the failure table: a stable code (the API's problem type), a short title and a kind.</summary>
public sealed record FailureType(string Code, string Title, FailureKind Kind)
{
    /// <summary>A failure of this type with a message for people.</summary>
    public Failure Because(string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null) => new(this, message, fieldErrors);
}

/// <summary>
/// The failure table: every way the bank refuses a request, once. Problem types are
/// <c>https://bank.local/problems/&lt;code&gt;</c>; the codes are part of the public API and never change.
/// </summary>
public static class FailureTypes
{
    /// <summary>One or more fields break their rules; <see cref="Failure.FieldErrors"/> says which.</summary>
    public static readonly FailureType Validation = new("validation", "One or more fields are invalid.", FailureKind.BadInput);

    /// <summary>The request body could not be read as the endpoint's JSON.</summary>
    public static readonly FailureType BadRequest = new("bad-request", "The request could not be read.", FailureKind.BadInput);

    /// <summary>The request body is not JSON.</summary>
    public static readonly FailureType UnsupportedMediaType = new("unsupported-media-type", "Send the body as application/json.", FailureKind.UnsupportedFormat);

    /// <summary>Nothing visible to the actor has this identity.</summary>
    public static readonly FailureType NotFound = new("not-found", "Not found.", FailureKind.NotFound);

    /// <summary>The actor's role or ownership does not allow this.</summary>
    public static readonly FailureType Forbidden = new("forbidden", "Not allowed.", FailureKind.Forbidden);

    /// <summary>Something changed at the same moment; look again and retry.</summary>
    public static readonly FailureType Conflict = new("conflict", "The request was refused.", FailureKind.Conflict);

    /// <summary>No session: no bearer token or cookie, or one that has ended.</summary>
    public static readonly FailureType Unauthenticated = new("unauthenticated", "The request was refused.", FailureKind.Unauthenticated);

    /// <summary>A cookie-authenticated change without its antiforgery token.</summary>
    public static readonly FailureType Antiforgery = new("antiforgery", "The request was refused.", FailureKind.BadInput);

    /// <summary>Too many sign-in attempts from one address.</summary>
    public static readonly FailureType TooManySignInAttempts = new("too-many-sign-in-attempts", "The request was refused.", FailureKind.Throttled);

    /// <summary>Wrong User ID or password (also while locked, and for unknown users).</summary>
    public static readonly FailureType InvalidCredentials = new("invalid-credentials", "Sign-in failed.", FailureKind.Unauthenticated);

    /// <summary>The right password, but the account is locked after too many failures.</summary>
    public static readonly FailureType AccountLocked = new("account-locked", "Account locked.", FailureKind.Unauthenticated);

    /// <summary>The right password, but the user's status is not Active.</summary>
    public static readonly FailureType UserNotActive = new("user-not-active", "Account not active.", FailureKind.Unauthenticated);

    /// <summary>A one-time password must be replaced before anything else.</summary>
    public static readonly FailureType PasswordChangeRequired = new("password-change-required", "Password change required.", FailureKind.Forbidden);

    /// <summary>The session's second factor is still to be given (or enrolled) before anything else.</summary>
    public static readonly FailureType TwoFactorRequired = new("two-factor-required", "Second factor required.", FailureKind.Forbidden);

    /// <summary>The change would leave no active Super_Admin.</summary>
    public static readonly FailureType LastSuperAdmin = new("last-super-admin", "The last active Super_Admin must stay.", FailureKind.Conflict);

    /// <summary>Not a positive rupee amount with at most two decimals.</summary>
    public static readonly FailureType InvalidAmount = new("invalid-amount", "Invalid amount.", FailureKind.BadInput);

    /// <summary>Not 12 digits with a correct check digit.</summary>
    public static readonly FailureType InvalidAccountNumber = new("invalid-account-number", "Invalid account number.", FailureKind.BadInput);

    /// <summary>Above the per-transaction limit.</summary>
    public static readonly FailureType LimitExceeded = new("limit-exceeded", "Over the per-transaction limit.", FailureKind.Refused);

    /// <summary>The balance is less than the amount.</summary>
    public static readonly FailureType InsufficientFunds = new("insufficient-funds", "Insufficient funds.", FailureKind.Refused);

    /// <summary>
    /// The receiving account cannot take a transfer: no customer account has the number, or it is frozen or closed, or its
    /// owner is not Active. One answer for all of them, so that a transfer tells nobody about another customer's account.
    /// </summary>
    public static readonly FailureType UnknownAccount = new("unknown-account", "This account cannot receive transfers.", FailureKind.Refused);

    /// <summary>A transfer to the sender's own account.</summary>
    public static readonly FailureType SameAccount = new("same-account", "Transfer to your own account.", FailureKind.Refused);

    /// <summary>An Idempotency-Key already used for another request.</summary>
    public static readonly FailureType IdempotencyConflict = new("idempotency-conflict", "Idempotency-Key reused with another request.", FailureKind.Refused);

    /// <summary>The account is frozen: no money in or out.</summary>
    public static readonly FailureType AccountFrozen = new("account-frozen", "Account frozen.", FailureKind.Conflict);

    /// <summary>The account is closed.</summary>
    public static readonly FailureType AccountClosed = new("account-closed", "Account closed.", FailureKind.Conflict);

    /// <summary>An account is closed only at zero balance.</summary>
    public static readonly FailureType AccountNotEmpty = new("account-not-empty", "Account not empty.", FailureKind.Conflict);

    /// <summary>The customer's own user is not Active, so no money moves.</summary>
    public static readonly FailureType CustomerNotActive = new("customer-not-active", "User not active.", FailureKind.Forbidden);

    /// <summary>Too many transfer reviews (payee look-ups) by one customer in an hour; try again later.</summary>
    public static readonly FailureType TooManyPayeeReviews = new("too-many-payee-reviews", "Too many payee look-ups.", FailureKind.Throttled);

    /// <summary>Every row of the table, in the order above (for the API reference and tests).</summary>
    public static IReadOnlyList<FailureType> All { get; } =
    [
        Validation, BadRequest, UnsupportedMediaType, NotFound, Forbidden, Conflict, Unauthenticated, Antiforgery,
        TooManySignInAttempts, InvalidCredentials, AccountLocked, UserNotActive, PasswordChangeRequired, TwoFactorRequired, LastSuperAdmin,
        InvalidAmount, InvalidAccountNumber, LimitExceeded, InsufficientFunds, UnknownAccount, SameAccount,
        IdempotencyConflict, AccountFrozen, AccountClosed, AccountNotEmpty, CustomerNotActive, TooManyPayeeReviews,
    ];
}
