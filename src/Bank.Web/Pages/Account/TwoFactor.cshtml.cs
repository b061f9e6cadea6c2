using Bank.Core;
using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Bank.Web.Pages.Account;

/// <summary>The second step of a sign-in: the authenticator's code or a recovery code (the same rules as the API's).</summary>
[EnableRateLimiting(WebServices.SignInLimit)]
public sealed class TwoFactorModel(TwoFactorService twoFactor, Actor actor) : BankPageModel
{
    /// <summary>The code from the authenticator app.</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>A recovery code, instead.</summary>
    [BindProperty]
    public string? RecoveryCode { get; set; }

    /// <summary>Where to go once the sign-in is complete.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Shows the form while the session waits for its code; otherwise there is nothing to do here.</summary>
    public IActionResult OnGet() => User.TwoFactorPending() == TwoFactorStep.Required ? Page() : LocalRedirect("/");

    /// <summary>Completes the sign-in, or shows why not.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Succeeded(await twoFactor.VerifyAsync(actor, Code, RecoveryCode, ct), out _))
        {
            Code = null;
            RecoveryCode = null;
            return Page();
        }

        // The sign-in gate leads on to the password change when a one-time password is still to be replaced.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
