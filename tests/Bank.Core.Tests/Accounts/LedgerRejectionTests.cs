using Bank.Core.Accounts;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// Every refusal names its reason with a stable code and changes nothing: no balance, no transaction, no entry,
/// no idempotency record; and the books still verify afterwards.
/// </summary>
public sealed class LedgerRejectionTests
{
    [Theory, DatabaseData]
    public async Task An_invalid_amount_is_rejected_and_changes_nothing(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        await bank.FundAsync(customers[0], 50m);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAmount, () => bank.DebitAsync(customers[0], 0m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAmount, () => bank.CreditAsync(customers[0], -5m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAmount, () => bank.TransferAsync(customers[0], customers[1].AccountNumber, 1.001m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAmount, () => bank.CreditAsync(customers[0], null));
    }

    [Theory, DatabaseData]
    public async Task An_amount_over_the_limit_is_rejected_and_changes_nothing(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        await bank.FundAsync(customers[0], 1_000_000m);
        await bank.FundAsync(customers[0], 1_000_000m);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.LimitExceeded, () => bank.CreditAsync(customers[0], 1_000_000.01m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.LimitExceeded, () => bank.DebitAsync(customers[0], 1_500_000m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.LimitExceeded, () => bank.TransferAsync(customers[0], customers[1].AccountNumber, 2_000_000m));
    }

    [Theory, DatabaseData]
    public async Task Debit_beyond_balance_is_rejected_and_changes_nothing(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        await bank.FundAsync(customer, 100m);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InsufficientFunds, () => bank.DebitAsync(customer, 100.01m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InsufficientFunds, () => bank.DebitAsync(customer, 1_000_000m, key: "debit-too-much"));

        // Exactly the balance is not beyond it.
        var all = await bank.DebitAsync(customer, 100m);
        Assert.True(all.Succeeded, all.Failure?.ToString());
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InsufficientFunds, () => bank.DebitAsync(customer, 0.01m));
        Assert.Equal(0, await bank.BalanceAsync(customer));
    }

    [Theory, DatabaseData]
    public async Task Transfer_beyond_balance_is_rejected_and_changes_nothing(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        await bank.FundAsync(customers[0], 10m);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InsufficientFunds, () => bank.TransferAsync(customers[0], customers[1].AccountNumber, 10.01m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InsufficientFunds, () => bank.TransferAsync(customers[1], customers[0].AccountNumber, 0.01m));
    }

    [Theory, DatabaseData]
    public async Task A_frozen_account_can_neither_pay_in_nor_pay_out_and_a_refusal_changes_nothing(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (frozen, other) = (customers[0], customers[1]);
        await bank.FundAsync(frozen, 500m);
        await bank.FundAsync(other, 500m);
        var freeze = await bank.ChangeStatusAsync(bank.Administrator, frozen.AccountNumber, "Frozen");
        Assert.True(freeze.Succeeded, freeze.Failure?.ToString());

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountFrozen, () => bank.CreditAsync(frozen, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountFrozen, () => bank.DebitAsync(frozen, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountFrozen, () => bank.TransferAsync(frozen, other.AccountNumber, 1m));
        // Frozen wins over insufficient funds: the customer learns the real reason.
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountFrozen, () => bank.DebitAsync(frozen, 10_000m));
    }

    [Theory, DatabaseData]
    public async Task A_transfer_to_a_frozen_account_is_rejected_and_changes_nothing(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (payer, frozen) = (customers[0], customers[1]);
        await bank.FundAsync(payer, 500m);
        var freeze = await bank.ChangeStatusAsync(bank.Administrator, frozen.AccountNumber, "Frozen");
        Assert.True(freeze.Succeeded, freeze.Failure?.ToString());

        // The payer learns only that the account cannot receive transfers, as for an unknown number (security finding 7).
        var failure = await bank.AssertRefusedAndUnchangedAsync(FailureTypes.UnknownAccount,
            () => bank.TransferAsync(payer, frozen.AccountNumber, 100m, key: "to-frozen"));
        Assert.Equal(LedgerFailures.CannotReceive().Message, failure.Message);
        Assert.Equal(50_000, await bank.BalanceAsync(payer));
    }

    [Theory, DatabaseData]
    public async Task A_closed_account_can_neither_pay_in_nor_pay_out_nor_receive_and_a_refusal_changes_nothing(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (closed, other) = (customers[0], customers[1]);
        await bank.FundAsync(other, 500m);
        var close = await bank.ChangeStatusAsync(bank.Administrator, closed.AccountNumber, "Closed");
        Assert.True(close.Succeeded, close.Failure?.ToString());

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountClosed, () => bank.CreditAsync(closed, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountClosed, () => bank.DebitAsync(closed, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountClosed, () => bank.TransferAsync(closed, other.AccountNumber, 1m));
        var failure = await bank.AssertRefusedAndUnchangedAsync(FailureTypes.UnknownAccount, () => bank.TransferAsync(other, closed.AccountNumber, 1m));
        Assert.Equal(LedgerFailures.CannotReceive().Message, failure.Message);
        // The closed account comes first in the lock order; the sender's own update (all of its balance) is not its
        // reason, but a sender who cannot pay hears that first.
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.UnknownAccount, () => bank.TransferAsync(other, closed.AccountNumber, 500m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InsufficientFunds, () => bank.TransferAsync(other, closed.AccountNumber, 500.01m));
    }

    [Theory, DatabaseData]
    public async Task A_transfer_to_a_well_formed_number_that_no_customer_account_has_is_rejected_with_unknown_account(TestBank bank)
    {
        var payer = (await bank.AddCustomersAsync(1))[0];
        await bank.FundAsync(payer, 500m);
        var unused = TestBank.UnusedAccountNumber();
        Assert.True(AccountNumber.IsValid(unused));

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.UnknownAccount, () => bank.TransferAsync(payer, unused, 1m));
        // The bank's own cash account is not a customer account: nobody transfers to it.
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.UnknownAccount, () => bank.TransferAsync(payer, BankAccounts.CashAccountNumber, 1m));
    }

    [Theory, DatabaseData]
    public async Task A_transfer_to_a_number_with_a_wrong_check_digit_is_rejected_with_invalid_account_number(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        await bank.FundAsync(customers[0], 500m);
        var typo = TestBank.WithWrongCheckDigit(customers[1].AccountNumber);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAccountNumber, () => bank.TransferAsync(customers[0], typo, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAccountNumber, () => bank.TransferAsync(customers[0], "12345", 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAccountNumber, () => bank.TransferAsync(customers[0], "50010000001X", 1m));
    }

    [Theory, DatabaseData]
    public async Task A_transfer_to_ones_own_account_is_rejected_with_same_account(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        await bank.FundAsync(customer, 500m);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.SameAccount, () => bank.TransferAsync(customer, customer.AccountNumber, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.SameAccount, () => bank.TransferAsync(customer, " " + customer.AccountNumber + " ", 1m, key: "self"));
    }

    [Theory]
    [DatabaseData(UserStatus.Suspended)]
    [DatabaseData(UserStatus.Inactive)]
    [DatabaseData(UserStatus.Pending)]
    public async Task A_customer_who_is_not_active_cannot_move_money_and_a_refusal_changes_nothing(TestBank bank, UserStatus status)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (customer, other) = (customers[0], customers[1]);
        await bank.FundAsync(customer, 500m);
        await bank.SetUserStatusAsync(customer.UserId, status);

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.CustomerNotActive, () => bank.CreditAsync(customer, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.CustomerNotActive, () => bank.DebitAsync(customer, 1m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.CustomerNotActive, () => bank.TransferAsync(customer, other.AccountNumber, 1m));
        // And nobody can pay them in the meantime.
        await bank.FundAsync(other, 10m);
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.UnknownAccount, () => bank.TransferAsync(other, customer.AccountNumber, 1m));
    }

    [Theory, DatabaseData]
    public async Task Reusing_an_idempotency_key_for_another_request_is_rejected_with_idempotency_conflict(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (customer, other) = (customers[0], customers[1]);
        var key = "key-" + Guid.NewGuid().ToString("N");
        var first = await bank.CreditAsync(customer, 100m, key);
        Assert.True(first.Succeeded, first.Failure?.ToString());

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.IdempotencyConflict, () => bank.CreditAsync(customer, 100.01m, key));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.IdempotencyConflict, () => bank.DebitAsync(customer, 100m, key));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.IdempotencyConflict, () => bank.TransferAsync(customer, other.AccountNumber, 100m, key));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.IdempotencyConflict,
            () => bank.MoveAsync(customer, new MoneyOrder("credit", 100m, Narration: "another meaning", IdempotencyKey: key)));

        // The same request again is answered as the first time, and moves nothing.
        var before = await bank.StateAsync();
        var again = await bank.CreditAsync(customer, 100.00m, key);
        Assert.True(again.Succeeded, again.Failure?.ToString());
        Assert.True(again.Value!.Replayed);
        Assert.Equal(first.Value!.Line.TransactionId, again.Value.Line.TransactionId);
        Assert.Equal(before.Balances, (await bank.StateAsync()).Balances);
        Assert.Equal(before.Transactions, (await bank.StateAsync()).Transactions);

        // A key belongs to its customer: another customer may use the same key for their own request.
        var theirs = await bank.CreditAsync(other, 5m, key);
        Assert.True(theirs.Succeeded, theirs.Failure?.ToString());
        Assert.False(theirs.Value!.Replayed);
    }

    [Theory, DatabaseData]
    public async Task A_refused_request_does_not_use_up_its_idempotency_key(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        var key = "retry-" + Guid.NewGuid().ToString("N");

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InsufficientFunds, () => bank.DebitAsync(customer, 50m, key));
        await bank.FundAsync(customer, 50m);

        var retry = await bank.DebitAsync(customer, 50m, key);
        Assert.True(retry.Succeeded, retry.Failure?.ToString());
        Assert.False(retry.Value!.Replayed);
        Assert.Equal(0, await bank.BalanceAsync(customer));
    }

    [Theory, DatabaseData]
    public async Task Staff_cannot_move_money_and_malformed_orders_are_rejected_as_validation(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        await bank.FundAsync(customers[0], 10m);

        await using (var client = bank.Scope())
        {
            foreach (var role in new[] { Role.SuperAdmin, Role.Admin, Role.Employee })
            {
                var order = new MoneyOrder("credit", 1m);
                await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Forbidden,
                    () => client.Get<LedgerService>().MoveAsync(new Actor(bank.Administrator.UserId, role), order, TestContext.Current.CancellationToken));
            }
        }

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.MoveAsync(customers[0], new MoneyOrder("deposit", 1m)));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.MoveAsync(customers[0], new MoneyOrder(null, 1m)));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.MoveAsync(customers[0], new MoneyOrder("transfer", 1m)));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.MoveAsync(customers[0], new MoneyOrder("debit", 1m, customers[1].AccountNumber)));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.MoveAsync(customers[0], new MoneyOrder("debit", 1m, IdempotencyKey: "")));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.MoveAsync(customers[0], new MoneyOrder("debit", 1m, IdempotencyKey: "has space")));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.Validation, () => bank.MoveAsync(customers[0], new MoneyOrder("debit", 1m, Narration: new string('n', 141))));
    }
}
