using Bank.Core;
using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Account;

/// <summary>Choosing a new password (the first one replaces the one-time password).</summary>
public sealed class ChangePasswordModel(PasswordService passwords, Actor actor) : BankPageModel
{
    /// <summary>The password now.</summary>
    [BindProperty]
    public string? CurrentPassword { get; set; }

    /// <summary>The new password.</summary>
    [BindProperty]
    public string? NewPassword { get; set; }

    /// <summary>The new password again.</summary>
    [BindProperty]
    public string? ConfirmPassword { get; set; }

    /// <summary>Whether the user came here straight from their first sign-in.</summary>
    [BindProperty(SupportsGet = true)]
    public bool First { get; set; }

    /// <summary>Whether the user still has a one-time password.</summary>
    public bool MustChange => User.MustChangePasswordNow();

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Changes the password, or shows what is wrong.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (NewPassword != ConfirmPassword)
        {
            ShowFieldError("confirmPassword", "The two new passwords differ.");
            return Page();
        }

        if (!Succeeded(await passwords.ChangeAsync(actor, CurrentPassword, NewPassword, ct), out _))
        {
            return Page();
        }

        return SeeOther("/", "Your password is changed. Other sessions of yours have been signed out.");
    }
}
