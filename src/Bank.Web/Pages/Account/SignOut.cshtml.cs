using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages.Account;

/// <summary>Signing out: the session ends on the server and the cookie is cleared.</summary>
public sealed class SignOutModel(SessionService sessions, SessionCookie sessionCookie) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await sessionCookie.EndAsync(HttpContext, sessions, ct);
        return RedirectToPage("/Account/SignIn", new { signedOut = true });
    }
}
