using Bank.Core.Accounts;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;

namespace Bank.Core.Tests.Accounts;

/// <summary>Administrators freeze, unfreeze and close accounts: Active and Frozen both ways, Closed only at zero and for good.</summary>
public sealed class AccountServiceTests
{
    [Theory, DatabaseData]
    public async Task Close_is_refused_with_account_not_empty_while_the_balance_is_not_zero(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        var admin = await bank.AddStaffAsync(Role.Admin);
        await bank.FundAsync(customer, 0.01m);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountNotEmpty, () => bank.ChangeStatusAsync(admin, customer.AccountNumber, "Closed"));
        Assert.Equal(AccountStatus.Active, await bank.AccountStatusAsync(customer));

        // A frozen account with money in it cannot be closed either.
        Assert.True((await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Frozen")).Succeeded);
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountNotEmpty, () => bank.ChangeStatusAsync(admin, customer.AccountNumber, "Closed"));
        Assert.Equal(AccountStatus.Frozen, await bank.AccountStatusAsync(customer));

        Assert.True((await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Active")).Succeeded);
        Assert.True((await bank.DebitAsync(customer, 0.01m)).Succeeded);
        var closed = await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Closed");
        Assert.True(closed.Succeeded, closed.Failure?.ToString());
        Assert.Equal(AccountStatus.Closed, closed.Value!.Status);
        Assert.Equal(0m, closed.Value.Balance);
        Assert.Equal(AccountStatus.Closed, await bank.AccountStatusAsync(customer));
        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task Active_and_Frozen_go_both_ways_and_money_moves_again_after_unfreezing(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        var admin = await bank.AddStaffAsync(Role.Admin);
        await bank.FundAsync(customer, 100m);

        var frozen = await bank.ChangeStatusAsync(admin, customer.AccountNumber, "frozen");
        Assert.True(frozen.Succeeded, frozen.Failure?.ToString());
        Assert.Equal(AccountStatus.Frozen, frozen.Value!.Status);
        Assert.Equal(AccountStatus.Frozen, await bank.AccountStatusAsync(customer));
        Assert.Equal(FailureTypes.AccountFrozen.Code, (await bank.DebitAsync(customer, 1m)).Failure?.Code);

        // Freezing a frozen account is no change and no error.
        Assert.True((await bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, "Frozen")).Succeeded);

        var active = await bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, " Active ");
        Assert.True(active.Succeeded, active.Failure?.ToString());
        Assert.Equal(AccountStatus.Active, active.Value!.Status);
        Assert.Equal(AccountStatus.Active, await bank.AccountStatusAsync(customer));
        Assert.True((await bank.DebitAsync(customer, 1m)).Succeeded);

        Assert.True((await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Frozen")).Succeeded);
        Assert.True((await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Active")).Succeeded);
        Assert.Equal(9_900, await bank.BalanceAsync(customer));
        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task One_service_instance_can_freeze_and_then_unfreeze_an_account(TestBank bank)
    {
        // One scope that changes an account twice (a command-line verb, a page that acts twice): the second change
        // must see the status the first one left.
        var customer = (await bank.AddCustomersAsync(1))[0];
        await using var client = bank.Scope();
        var ct = TestContext.Current.CancellationToken;

        var frozen = await client.Get<AccountService>().ChangeStatusAsync(bank.Administrator, customer.AccountNumber, new AccountChange("Frozen"), ct);
        Assert.True(frozen.Succeeded, frozen.Failure?.ToString());
        var active = await client.Get<AccountService>().ChangeStatusAsync(bank.Administrator, customer.AccountNumber, new AccountChange("Active"), ct);

        Assert.True(active.Succeeded, active.Failure?.ToString());
        Assert.Equal(AccountStatus.Active, active.Value!.Status);
        Assert.Equal(AccountStatus.Active, await bank.AccountStatusAsync(customer));
    }

    [Theory, DatabaseData]
    public async Task A_closed_account_cannot_be_reopened_or_frozen(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        Assert.True((await bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, "Closed")).Succeeded);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountClosed, () => bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, "Active"));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountClosed, () => bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, "Frozen"));
        Assert.Equal(AccountStatus.Closed, await bank.AccountStatusAsync(customer));
        Assert.Equal(FailureTypes.AccountClosed.Code, (await bank.CreditAsync(customer, 1m)).Failure?.Code);

        // Closing it again is no change and no error.
        var again = await bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, "Closed");
        Assert.True(again.Succeeded, again.Failure?.ToString());
        Assert.Equal(AccountStatus.Closed, again.Value!.Status);
    }

    [Theory, DatabaseData]
    public async Task An_employee_or_a_customer_is_forbidden_to_change_an_account_status(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var employee = await bank.AddStaffAsync(Role.Employee);

        foreach (var status in new[] { "Frozen", "Closed", "Active" })
        {
            await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Forbidden, () => bank.ChangeStatusAsync(employee, customers[0].AccountNumber, status));
            await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Forbidden, () => bank.ChangeStatusAsync(customers[1].Actor, customers[0].AccountNumber, status));
            await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Forbidden, () => bank.ChangeStatusAsync(customers[0].Actor, customers[0].AccountNumber, status));
        }

        Assert.Equal(AccountStatus.Active, await bank.AccountStatusAsync(customers[0]));
    }

    [Theory, DatabaseData]
    public async Task Unknown_accounts_and_unknown_statuses_are_refused(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        var admin = bank.Administrator;

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.NotFound, () => bank.ChangeStatusAsync(admin, TestBank.UnusedAccountNumber(), "Frozen"));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.NotFound, () => bank.ChangeStatusAsync(admin, TestBank.WithWrongCheckDigit(customer.AccountNumber), "Frozen"));
        // The bank's own cash account is not a customer account.
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.NotFound, () => bank.ChangeStatusAsync(admin, BankAccounts.CashAccountNumber, "Frozen"));
        foreach (var status in new[] { "Deleted", "1", "", "Frozen,Closed" })
        {
            await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.ChangeStatusAsync(admin, customer.AccountNumber, status));
        }

        Assert.Equal(AccountStatus.Active, await bank.AccountStatusAsync(customer));
    }

    [Theory, DatabaseData]
    public async Task A_close_racing_deposits_never_leaves_a_closed_account_holding_money(TestBank bank)
    {
        for (var round = 0; round < 5; round++)
        {
            var customer = (await bank.AddCustomersAsync(1))[0];
            var results = await Concurrently.RunAsync(11, async i => i == 5
                ? (await bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, "Closed")).Failure?.Code ?? "closed"
                : (await bank.CreditAsync(customer, 1m)).Failure?.Code ?? "deposited");

            var deposited = results.Count(r => r == "deposited");
            var balance = await bank.BalanceAsync(customer);
            Assert.Equal(deposited * 100L, balance);
            if (results[5] == "closed")
            {
                Assert.Equal(0, balance);
                Assert.Equal(AccountStatus.Closed, await bank.AccountStatusAsync(customer));
                Assert.All(results.Where((_, i) => i != 5), r => Assert.Equal(FailureTypes.AccountClosed.Code, r));
            }
            else
            {
                Assert.Equal(FailureTypes.AccountNotEmpty.Code, results[5]);
                Assert.Equal(AccountStatus.Active, await bank.AccountStatusAsync(customer));
                Assert.All(results.Where((_, i) => i != 5), r => Assert.Equal("deposited", r));
            }
        }

        await bank.AssertVerifiesAsync();
    }
}
