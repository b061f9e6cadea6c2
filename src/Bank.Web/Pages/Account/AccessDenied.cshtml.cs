using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages.Account;

/// <summary>The page for a refusal: the role does not allow what was asked.</summary>
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
