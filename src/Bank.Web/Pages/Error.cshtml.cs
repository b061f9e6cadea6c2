using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages;

/// <summary>The friendly page for an unexpected error: nothing changed, try again.</summary>
public sealed class ErrorModel : PageModel
{
    /// <summary>Shows the page.</summary>
    public void OnGet()
    {
    }
}
