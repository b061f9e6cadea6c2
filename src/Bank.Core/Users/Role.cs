namespace Bank.Core.Users;

/// <summary>What a user may do; the names on the wire and in the database are those of <see cref="Roles"/>.</summary>
public enum Role
{
    SuperAdmin,
    Admin,
    Employee,
    Customer,
}

/// <summary>Role names as the bank writes them (<c>Super_Admin</c>, <c>Admin</c>, …) and the rules between roles.</summary>
public static class Roles
{
    public const string SuperAdminName = "Super_Admin";
    public const string AdminName = "Admin";
    public const string EmployeeName = "Employee";
    public const string CustomerName = "Customer";

    public static readonly IReadOnlyList<Role> All = [Role.SuperAdmin, Role.Admin, Role.Employee, Role.Customer];

    public static string Name(this Role role) => role switch
    {
        Role.SuperAdmin => SuperAdminName,
        Role.Admin => AdminName,
        Role.Employee => EmployeeName,
        Role.Customer => CustomerName,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    public static bool IsStaff(this Role role) => role != Role.Customer;

    /// <summary>Super_Admin and Admin: the roles that manage users.</summary>
    public static bool IsAdministrator(this Role role) => role is Role.SuperAdmin or Role.Admin;

    /// <summary>Whether <paramref name="actor"/> may create, change, reset or unlock a user of role <paramref name="target"/> (SPEC §1).</summary>
    public static bool CanManage(this Role actor, Role target) => actor switch
    {
        Role.SuperAdmin => true,
        Role.Admin => target is Role.Employee or Role.Customer,
        _ => false,
    };
}
