using Bank.Core;
using Bank.Core.Users;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

/// <summary>
/// Creating a user (administrators). A success answers 303 to <c>/Users/Create?created=&lt;userId&gt;</c>, which shows the
/// User ID, the account number and the one-time password once (TempData: read once, then gone); a reload of that page
/// shows the User ID only and says that the password is not shown again. Refusals come back at once, next to the fields.
/// </summary>
public sealed class CreateModel(UserEnrolment enrolment, Actor actor) : BankPageModel
{
    private const string CreatedKey = "Users.Create.Created";
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

    /// <summary>The User ID of the user just created (the page the creation redirected to).</summary>
    [BindProperty(SupportsGet = true, Name = "created")]
    public string? CreatedUserId { get; set; }

    /// <summary>The user just created, shown once with the one-time password.</summary>
    public CreatedUser? Created { get; private set; }

    public IEnumerable<Role> CreatableRoles => Roles.All.Where(r => actor.Role.CanManage(r));

    public IReadOnlyList<string> CitiesOfState => ReferenceData.Instance.FindState(State)?.Cities ?? [];

    /// <summary>The form, or the result of the creation just done (its password only the first time).</summary>
    public void OnGet()
    {
        if (TempData[CreatedKey] is string[] { Length: 3 } kept && kept[0] == CreatedUserId)
        {
            Created = new CreatedUser(kept[0], kept[1], kept[2].Length == 0 ? null : kept[2]);
        }
    }

    /// <summary>Creates the user; on success, 303 to the result page (a reload never creates the user again).</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var phones = Phones.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        var input = new NewUser(FirstName, LastName, Email, DateOfBirth, phones, Gender, Street, City, State, Role);
        if (!Succeeded(await enrolment.CreateAsync(actor, input, ct), out var created))
        {
            return Page();
        }

        TempData[CreatedKey] = new[] { created.UserId, created.TemporaryPassword, created.AccountNumber ?? "" };
        return new SeeOtherResult(Url.Page("/Users/Create", new { created = created.UserId }) ?? "/Users/Create");
    }
}
