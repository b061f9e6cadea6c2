using Bank.Core;
using Bank.Core.Reports;
using Bank.Core.Users;

namespace Bank.Web.Pages;

/// <summary>Where everyone lands after signing in: staff see the bank's dashboard, a customer their own.</summary>
public sealed class IndexModel(Dashboards dashboards, Actor actor) : BankPageModel
{
    /// <summary>The viewer's role.</summary>
    public Role Role => actor.Role;

    /// <summary>The bank's figures (staff).</summary>
    public StaffDashboard? Staff { get; private set; }

    /// <summary>The customer's own figures.</summary>
    public CustomerDashboard? Customer { get; private set; }

    /// <summary>Shows the dashboard of the viewer's role.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        if (actor.Role.IsStaff())
        {
            if (Succeeded(await dashboards.StaffAsync(actor, ct), out var staff))
            {
                Staff = staff;
            }
        }
        else if (Succeeded(await dashboards.CustomerAsync(actor, ct), out var customer))
        {
            Customer = customer;
        }
    }
}
