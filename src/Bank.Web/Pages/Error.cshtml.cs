using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages;

public sealed class ErrorModel : PageModel
{
    public void OnGet()
    {
    }
}
