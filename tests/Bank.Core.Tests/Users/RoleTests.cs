using Bank.Core.Users;

namespace Bank.Core.Tests.Users;

public sealed class RoleTests
{
    [Theory]
    [InlineData(Role.SuperAdmin, Role.SuperAdmin, true)]
    [InlineData(Role.SuperAdmin, Role.Admin, true)]
    [InlineData(Role.SuperAdmin, Role.Employee, true)]
    [InlineData(Role.SuperAdmin, Role.Customer, true)]
    [InlineData(Role.Admin, Role.SuperAdmin, false)]
    [InlineData(Role.Admin, Role.Admin, false)]
    [InlineData(Role.Admin, Role.Employee, true)]
    [InlineData(Role.Admin, Role.Customer, true)]
    [InlineData(Role.Employee, Role.Customer, false)]
    [InlineData(Role.Customer, Role.Customer, false)]
    public void Who_manages_whom_follows_the_spec(Role actor, Role target, bool allowed) =>
        Assert.Equal(allowed, actor.CanManage(target));

    [Theory]
    [InlineData("Super_Admin", Role.SuperAdmin)]
    [InlineData("super_admin", Role.SuperAdmin)]
    [InlineData(" Customer ", Role.Customer)]
    public void Role_names_parse_as_the_bank_writes_them(string text, Role expected)
    {
        Assert.True(EnumText.TryParse<Role>(text, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("SuperAdmin")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_role_names_do_not_parse(string? text) => Assert.False(EnumText.TryParse<Role>(text, out _));
}
