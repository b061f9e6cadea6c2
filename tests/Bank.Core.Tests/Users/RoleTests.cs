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
}
