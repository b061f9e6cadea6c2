using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

public sealed class CreateModel(UserService users) : BankPageModel
{
    [BindProperty]
    public string? FirstName { get; set; }

    [BindProperty]
    public string? LastName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DateOfBirth { get; set; }

    [BindProperty]
    public List<string?> Phones { get; set; } = ["", "", ""];

    [BindProperty]
    public string? Gender { get; set; }

    [BindProperty]
    public string? Street { get; set; }

    [BindProperty]
    public string? State { get; set; }

    [BindProperty]
    public string? City { get; set; }

    [BindProperty]
    public string? Role { get; set; } = Roles.CustomerName;

    /// <summary>The user just created, shown once with the one-time password.</summary>
    public CreatedUser? Created { get; private set; }

    public IEnumerable<Role> CreatableRoles => Roles.All.Where(r => HttpContext.ToActor().Role.CanManage(r));

    public IReadOnlyList<string> CitiesOfState => ReferenceData.Instance.FindState(State)?.Cities ?? [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var phones = Phones.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        var input = new NewUser(FirstName, LastName, Email, DateOfBirth, phones, Gender, Street, City, State, Role);
        var result = await users.CreateAsync(HttpContext.ToActor(), input, ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
            return Page();
        }

        Created = result.Value;
        return Page();
    }
}
