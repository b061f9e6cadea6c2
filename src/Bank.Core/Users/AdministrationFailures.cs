namespace Bank.Core.Users;

/// <summary>
/// The refusals of managing a user, with their messages; each is a row of <see cref="FailureTypes"/>. The same words
/// answer <see cref="UserActions"/>, so that what a screen says before an action is what the action says when refused.
/// </summary>
public static class AdministrationFailures
{
    /// <summary>The actor may not change this user's role or status (themselves, or a role out of reach).</summary>
    public static Failure MayNotChange() => Failure.Forbidden("You may not change this user's role or status.");

    /// <summary>The actor may not reset this user's password.</summary>
    public static Failure MayNotResetPassword() => Failure.Forbidden("You may not reset this user's password.");

    /// <summary>The actor may not unlock this user.</summary>
    public static Failure MayNotUnlock() => Failure.Forbidden("You may not unlock this user.");

    /// <summary>The actor may not reset this user's second factor.</summary>
    public static Failure MayNotResetTwoFactor() => Failure.Forbidden("You may not reset this user's second factor.");

    /// <summary>One active Super_Admin always remains.</summary>
    public static Failure LastSuperAdmin() => FailureTypes.LastSuperAdmin.Because("The last active Super_Admin cannot be demoted or deactivated.");

    /// <summary>A customer keeps the role while their account is open.</summary>
    public static Failure AccountStillOpen() =>
        FailureTypes.Conflict.Because("This customer's account is still open: close it first (at zero balance), then change the role.");
}
