using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages;

/// <summary>
/// The friendly page for an unexpected error: nothing changed, try again. The exception handler re-executes it with the
/// failed request's method (a form's POST too), so it needs no antiforgery token.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>Shows the page.</summary>
    public void OnGet()
    {
    }
}
