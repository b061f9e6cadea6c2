namespace Bank.Web.Pages;

/// <summary>Home: the tiles of what the signed-in user may do.</summary>
public sealed class IndexModel : BankPageModel
{
    /// <summary>Shows the notice a redirect left.</summary>
    public void OnGet() => SuccessMessage = TempData["Notice"] as string;
}
