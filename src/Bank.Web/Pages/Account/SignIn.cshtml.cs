using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Bank.Web.Pages.Account;

[EnableRateLimiting(WebServices.SignInLimit)]
public sealed class SignInModel(SignInService signIn, SessionService sessions) : BankPageModel
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
        var result = await signIn.SignInAsync(UserId, Password, SessionChannel.Web, HttpContext.ToClient(), ct);
        if (result.Failure is { } failure)
        {
            ErrorMessage = failure.Message;
            Password = null;
            return Page();
        }

        await SessionCookie.ReplaceAsync(HttpContext, sessions, result.Value!, ct);
        if (result.Value!.MustChangePassword)
        {
            return RedirectToPage("/Account/ChangePassword", new { first = true });
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
