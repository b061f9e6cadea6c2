using Bank.Core;
using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Bank.Web.Pages.Account;

/// <summary>Signing in by User ID and password (the same rules as the API's sign-in).</summary>
[EnableRateLimiting(WebServices.SignInLimit)]
public sealed class SignInModel(SignInService signIn, SessionCookie sessionCookie) : BankPageModel
{
    [BindProperty]
    public string? UserId { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool SignedOut { get; set; }

    public void OnGet()
    {
        if (SignedOut)
        {
            SuccessMessage = "You have signed out.";
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await signIn.SignInAsync(UserId, Password, Channel.Web, HttpContext.ToClient(), ct, replacing: sessionCookie.Of(HttpContext));
        if (!result.TryGet(out var signedIn, out var failure))
        {
            // Sign-in refusals are shown as they are; their 401 status is for API clients, not for this page.
            ErrorMessage = failure.Message;
            Password = null;
            return Page();
        }

        sessionCookie.Set(HttpContext, signedIn);
        // The steps still due, in the sign-in gate's order: the code, a new password, the enrolment.
        if (signedIn.TwoFactor == TwoFactorStep.Required)
        {
            return RedirectToPage("/Account/TwoFactor", new { returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null });
        }

        if (signedIn.MustChangePassword)
        {
            return RedirectToPage("/Account/ChangePassword", new { first = true });
        }

        if (signedIn.TwoFactor == TwoFactorStep.Enrol)
        {
            return RedirectToPage("/Account/TwoFactorEnrol");
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
