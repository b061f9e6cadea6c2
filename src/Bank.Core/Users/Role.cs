using System.Text.Json.Serialization;

namespace Bank.Core.Users;

/// <summary>What a user may do (SPEC §1). The wire and database names are <c>Super_Admin</c>, <c>Admin</c>, <c>Employee</c>, <c>Customer</c>.</summary>
public enum Role
{
    /// <summary>Manages anyone but themselves; reads the monthly report.</summary>
    [JsonStringEnumMemberName("Super_Admin")]
    SuperAdmin,

    /// <summary>Manages Employees and Customers.</summary>
    Admin,

    /// <summary>Reads users and transactions.</summary>
    Employee,

    /// <summary>Moves money on their own account.</summary>
    Customer,
}

/// <summary>The rules between roles (SPEC §1).</summary>
public static class Roles
{
    /// <summary>Every role, from the most to the least powerful.</summary>
    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();

    /// <summary>Super_Admin, Admin and Employee.</summary>
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
