using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Account;

public sealed class ChangePasswordModel(PasswordService passwords) : BankPageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool First { get; set; }

    public bool MustChange => User.MustChangePasswordNow();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (NewPassword != ConfirmPassword)
        {
            ShowFieldError("confirmPassword", "The two new passwords differ.");
            return Page();
        }

        var result = await passwords.ChangeAsync(HttpContext.ToActor(), CurrentPassword, NewPassword, ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
            return Page();
        }

        TempData["Notice"] = "Your password is changed. Other sessions of yours have been signed out.";
        return RedirectToPage("/Index");
    }
}
