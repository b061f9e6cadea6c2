using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Core.Users;

namespace Bank.Core.Tests.Accounts;

/// <summary>Administrators freeze, unfreeze and close accounts: Active and Frozen both ways, Closed only at zero and for good.</summary>
public sealed class AccountServiceTests(SharedLedger shared) : IClassFixture<SharedLedger>
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Close_is_refused_with_account_not_empty_while_the_balance_is_not_zero(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        var admin = await ledger.AddStaffAsync(Role.Admin);
        await ledger.FundAsync(customer, 0.01m);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountNotEmptyCode, () => ledger.ChangeStatusAsync(admin, customer.AccountNumber, "Closed"));
        Assert.Equal(AccountStatus.Active, await ledger.AccountStatusAsync(customer));

        // A frozen account with money in it cannot be closed either.
        Assert.True((await ledger.ChangeStatusAsync(admin, customer.AccountNumber, "Frozen")).Succeeded);
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountNotEmptyCode, () => ledger.ChangeStatusAsync(admin, customer.AccountNumber, "Closed"));
        Assert.Equal(AccountStatus.Frozen, await ledger.AccountStatusAsync(customer));

        Assert.True((await ledger.ChangeStatusAsync(admin, customer.AccountNumber, "Active")).Succeeded);
        Assert.True((await ledger.DebitAsync(customer, 0.01m)).Succeeded);
        var closed = await ledger.ChangeStatusAsync(admin, customer.AccountNumber, "Closed");
        Assert.True(closed.Succeeded, closed.Failure?.ToString());
        Assert.Equal("Closed", closed.Value!.Status);
        Assert.Equal(0m, closed.Value.Balance);
        Assert.Equal(AccountStatus.Closed, await ledger.AccountStatusAsync(customer));
        await ledger.AssertVerifiesAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Active_and_Frozen_go_both_ways_and_money_moves_again_after_unfreezing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        var admin = await ledger.AddStaffAsync(Role.Admin);
        await ledger.FundAsync(customer, 100m);

        var frozen = await ledger.ChangeStatusAsync(admin, customer.AccountNumber, "frozen");
        Assert.True(frozen.Succeeded, frozen.Failure?.ToString());
        Assert.Equal("Frozen", frozen.Value!.Status);
        Assert.Equal(AccountStatus.Frozen, await ledger.AccountStatusAsync(customer));
        Assert.Equal(LedgerFailures.AccountFrozenCode, (await ledger.DebitAsync(customer, 1m)).Failure?.Code);

        // Freezing a frozen account is no change and no error.
        Assert.True((await ledger.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, "Frozen")).Succeeded);

        var active = await ledger.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, " Active ");
        Assert.True(active.Succeeded, active.Failure?.ToString());
        Assert.Equal("Active", active.Value!.Status);
        Assert.Equal(AccountStatus.Active, await ledger.AccountStatusAsync(customer));
        Assert.True((await ledger.DebitAsync(customer, 1m)).Succeeded);

        Assert.True((await ledger.ChangeStatusAsync(admin, customer.AccountNumber, "Frozen")).Succeeded);
        Assert.True((await ledger.ChangeStatusAsync(admin, customer.AccountNumber, "Active")).Succeeded);
        Assert.Equal(9_900, await ledger.BalanceAsync(customer));
        await ledger.AssertVerifiesAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task One_service_instance_can_freeze_and_then_unfreeze_an_account(DatabaseProvider provider)
    {
        // One scope that changes an account twice (a command-line verb, a page that acts twice): the second change
        // must see the status the first one left.
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        await using var client = ledger.Connect();
        var ct = TestContext.Current.CancellationToken;

        var frozen = await client.Accounts.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, new AccountChange("Frozen"), ct);
        Assert.True(frozen.Succeeded, frozen.Failure?.ToString());
        var active = await client.Accounts.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, new AccountChange("Active"), ct);

        Assert.True(active.Succeeded, active.Failure?.ToString());
        Assert.Equal("Active", active.Value!.Status);
        Assert.Equal(AccountStatus.Active, await ledger.AccountStatusAsync(customer));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_closed_account_cannot_be_reopened_or_frozen(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        Assert.True((await ledger.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, "Closed")).Succeeded);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountClosedCode, () => ledger.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, "Active"));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountClosedCode, () => ledger.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, "Frozen"));
        Assert.Equal(AccountStatus.Closed, await ledger.AccountStatusAsync(customer));
        Assert.Equal(LedgerFailures.AccountClosedCode, (await ledger.CreditAsync(customer, 1m)).Failure?.Code);

        // Closing it again is no change and no error.
        var again = await ledger.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, "Closed");
        Assert.True(again.Succeeded, again.Failure?.ToString());
        Assert.Equal("Closed", again.Value!.Status);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_employee_or_a_customer_is_forbidden_to_change_an_account_status(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        var employee = await ledger.AddStaffAsync(Role.Employee);

        foreach (var status in new[] { "Frozen", "Closed", "Active" })
        {
            await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Forbidden, () => ledger.ChangeStatusAsync(employee, customers[0].AccountNumber, status));
            await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Forbidden, () => ledger.ChangeStatusAsync(customers[1].Actor, customers[0].AccountNumber, status));
            await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Forbidden, () => ledger.ChangeStatusAsync(customers[0].Actor, customers[0].AccountNumber, status));
        }

        Assert.Equal(AccountStatus.Active, await ledger.AccountStatusAsync(customers[0]));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Unknown_accounts_and_unknown_statuses_are_refused(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        var admin = ledger.Administrator;

        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.NotFound, () => ledger.ChangeStatusAsync(admin, Ledger.UnusedAccountNumber(), "Frozen"));
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.NotFound, () => ledger.ChangeStatusAsync(admin, Ledger.WithWrongCheckDigit(customer.AccountNumber), "Frozen"));
        // The bank's own cash account is not a customer account.
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.NotFound, () => ledger.ChangeStatusAsync(admin, BankAccounts.CashAccountNumber, "Frozen"));
        foreach (var status in new[] { "Deleted", "1", "", "Frozen,Closed" })
        {
            await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.ChangeStatusAsync(admin, customer.AccountNumber, status));
        }

        Assert.Equal(AccountStatus.Active, await ledger.AccountStatusAsync(customer));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_close_racing_deposits_never_leaves_a_closed_account_holding_money(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        for (var round = 0; round < 5; round++)
        {
            var customer = (await ledger.TakeCustomersAsync(1))[0];
            var results = await Concurrently.RunAsync(11, async i => i == 5
                ? (await ledger.ChangeStatusAsync(ledger.Administrator, customer.AccountNumber, "Closed")).Failure?.Code ?? "closed"
                : (await ledger.CreditAsync(customer, 1m)).Failure?.Code ?? "deposited");

            var deposited = results.Count(r => r == "deposited");
            var balance = await ledger.BalanceAsync(customer);
            Assert.Equal(deposited * 100L, balance);
            if (results[5] == "closed")
            {
                Assert.Equal(0, balance);
                Assert.Equal(AccountStatus.Closed, await ledger.AccountStatusAsync(customer));
                Assert.All(results.Where((_, i) => i != 5), r => Assert.Equal(LedgerFailures.AccountClosedCode, r));
            }
            else
            {
                Assert.Equal(LedgerFailures.AccountNotEmptyCode, results[5]);
                Assert.Equal(AccountStatus.Active, await ledger.AccountStatusAsync(customer));
                Assert.All(results.Where((_, i) => i != 5), r => Assert.Equal("deposited", r));
            }
        }

        await ledger.AssertVerifiesAsync();
    }
}
