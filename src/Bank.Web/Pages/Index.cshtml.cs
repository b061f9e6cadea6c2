using Bank.Web.Infrastructure;

namespace Bank.Web.Pages;

public sealed class IndexModel : BankPageModel
{
    public string? Role { get; private set; }

    public void OnGet()
    {
        Role = User.RoleName();
        SuccessMessage = TempData["Notice"] as string;
    }
}
