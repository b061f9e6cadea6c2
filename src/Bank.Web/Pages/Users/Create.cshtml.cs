using Bank.Core;
using Bank.Core.Users;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

/// <summary>Creating a user (administrators); the one-time password is shown once.</summary>
public sealed class CreateModel(UserEnrolment enrolment, Actor actor) : BankPageModel
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
    public string? Role { get; set; } = Core.Users.Role.Customer.Name();

    /// <summary>The user just created, shown once with the one-time password.</summary>
    public CreatedUser? Created { get; private set; }

    public IEnumerable<Role> CreatableRoles => Roles.All.Where(r => actor.Role.CanManage(r));

    public IReadOnlyList<string> CitiesOfState => ReferenceData.Instance.FindState(State)?.Cities ?? [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var phones = Phones.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        var input = new NewUser(FirstName, LastName, Email, DateOfBirth, phones, Gender, Street, City, State, Role);
        if (Succeeded(await enrolment.CreateAsync(actor, input, ct), out var created))
        {
            Created = created;
        }

        return Page();
    }
}
