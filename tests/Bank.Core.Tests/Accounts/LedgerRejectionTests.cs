using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Core.Users;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// Every refusal names its reason with a stable code and changes nothing: no balance, no transaction, no entry,
/// no idempotency record; and the books still verify afterwards.
/// </summary>
public sealed class LedgerRejectionTests(SharedLedger shared) : IClassFixture<SharedLedger>
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_invalid_amount_is_rejected_and_changes_nothing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        await ledger.FundAsync(customers[0], 50m);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAmountCode, () => ledger.DebitAsync(customers[0], 0m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAmountCode, () => ledger.CreditAsync(customers[0], -5m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAmountCode, () => ledger.TransferAsync(customers[0], customers[1].AccountNumber, 1.001m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAmountCode, () => ledger.CreditAsync(customers[0], null));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_amount_over_the_limit_is_rejected_and_changes_nothing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        await ledger.FundAsync(customers[0], 1_000_000m);
        await ledger.FundAsync(customers[0], 1_000_000m);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.LimitExceededCode, () => ledger.CreditAsync(customers[0], 1_000_000.01m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.LimitExceededCode, () => ledger.DebitAsync(customers[0], 1_500_000m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.LimitExceededCode, () => ledger.TransferAsync(customers[0], customers[1].AccountNumber, 2_000_000m));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Debit_beyond_balance_is_rejected_and_changes_nothing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        await ledger.FundAsync(customer, 100m);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InsufficientFundsCode, () => ledger.DebitAsync(customer, 100.01m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InsufficientFundsCode, () => ledger.DebitAsync(customer, 1_000_000m, key: "debit-too-much"));

        // Exactly the balance is not beyond it.
        var all = await ledger.DebitAsync(customer, 100m);
        Assert.True(all.Succeeded, all.Failure?.ToString());
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InsufficientFundsCode, () => ledger.DebitAsync(customer, 0.01m));
        Assert.Equal(0, await ledger.BalanceAsync(customer));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Transfer_beyond_balance_is_rejected_and_changes_nothing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        await ledger.FundAsync(customers[0], 10m);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InsufficientFundsCode, () => ledger.TransferAsync(customers[0], customers[1].AccountNumber, 10.01m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InsufficientFundsCode, () => ledger.TransferAsync(customers[1], customers[0].AccountNumber, 0.01m));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_frozen_account_can_neither_pay_in_nor_pay_out_and_a_refusal_changes_nothing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        var (frozen, other) = (customers[0], customers[1]);
        await ledger.FundAsync(frozen, 500m);
        await ledger.FundAsync(other, 500m);
        var freeze = await ledger.ChangeStatusAsync(ledger.Administrator, frozen.AccountNumber, "Frozen");
        Assert.True(freeze.Succeeded, freeze.Failure?.ToString());

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountFrozenCode, () => ledger.CreditAsync(frozen, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountFrozenCode, () => ledger.DebitAsync(frozen, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountFrozenCode, () => ledger.TransferAsync(frozen, other.AccountNumber, 1m));
        // Frozen wins over insufficient funds: the customer learns the real reason.
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountFrozenCode, () => ledger.DebitAsync(frozen, 10_000m));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_transfer_to_a_frozen_account_is_rejected_and_changes_nothing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        var (payer, frozen) = (customers[0], customers[1]);
        await ledger.FundAsync(payer, 500m);
        var freeze = await ledger.ChangeStatusAsync(ledger.Administrator, frozen.AccountNumber, "Frozen");
        Assert.True(freeze.Succeeded, freeze.Failure?.ToString());

        var failure = await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountFrozenCode,
            () => ledger.TransferAsync(payer, frozen.AccountNumber, 100m, key: "to-frozen"));
        Assert.Contains("receiving", failure.Message, StringComparison.Ordinal);
        Assert.Equal(50_000, await ledger.BalanceAsync(payer));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_closed_account_can_neither_pay_in_nor_pay_out_nor_receive_and_a_refusal_changes_nothing(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        var (closed, other) = (customers[0], customers[1]);
        await ledger.FundAsync(other, 500m);
        var close = await ledger.ChangeStatusAsync(ledger.Administrator, closed.AccountNumber, "Closed");
        Assert.True(close.Succeeded, close.Failure?.ToString());

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountClosedCode, () => ledger.CreditAsync(closed, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountClosedCode, () => ledger.DebitAsync(closed, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountClosedCode, () => ledger.TransferAsync(closed, other.AccountNumber, 1m));
        var failure = await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.AccountClosedCode, () => ledger.TransferAsync(other, closed.AccountNumber, 1m));
        Assert.Contains("receiving", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_transfer_to_a_well_formed_number_that_no_customer_account_has_is_rejected_with_unknown_account(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var payer = (await ledger.TakeCustomersAsync(1))[0];
        await ledger.FundAsync(payer, 500m);
        var unused = Ledger.UnusedAccountNumber();
        Assert.True(AccountNumber.IsValid(unused));

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.UnknownAccountCode, () => ledger.TransferAsync(payer, unused, 1m));
        // The bank's own cash account is not a customer account: nobody transfers to it.
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.UnknownAccountCode, () => ledger.TransferAsync(payer, BankAccounts.CashAccountNumber, 1m));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_transfer_to_a_number_with_a_wrong_check_digit_is_rejected_with_invalid_account_number(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        await ledger.FundAsync(customers[0], 500m);
        var typo = Ledger.WithWrongCheckDigit(customers[1].AccountNumber);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAccountNumberCode, () => ledger.TransferAsync(customers[0], typo, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAccountNumberCode, () => ledger.TransferAsync(customers[0], "12345", 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAccountNumberCode, () => ledger.TransferAsync(customers[0], "50010000001X", 1m));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_transfer_to_ones_own_account_is_rejected_with_same_account(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        await ledger.FundAsync(customer, 500m);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.SameAccountCode, () => ledger.TransferAsync(customer, customer.AccountNumber, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.SameAccountCode, () => ledger.TransferAsync(customer, " " + customer.AccountNumber + " ", 1m, key: "self"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, UserStatus.Suspended)]
    [InlineData(DatabaseProvider.Sqlite, UserStatus.Inactive)]
    [InlineData(DatabaseProvider.Postgres, UserStatus.Suspended)]
    [InlineData(DatabaseProvider.Postgres, UserStatus.Pending)]
    public async Task A_customer_who_is_not_active_cannot_move_money_and_a_refusal_changes_nothing(DatabaseProvider provider, UserStatus status)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        var (customer, other) = (customers[0], customers[1]);
        await ledger.FundAsync(customer, 500m);
        await ledger.SetUserStatusAsync(customer, status);

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.CustomerNotActiveCode, () => ledger.CreditAsync(customer, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.CustomerNotActiveCode, () => ledger.DebitAsync(customer, 1m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.CustomerNotActiveCode, () => ledger.TransferAsync(customer, other.AccountNumber, 1m));
        // And nobody can pay them in the meantime.
        await ledger.FundAsync(other, 10m);
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.RecipientNotActiveCode, () => ledger.TransferAsync(other, customer.AccountNumber, 1m));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Reusing_an_idempotency_key_for_another_request_is_rejected_with_idempotency_conflict(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        var (customer, other) = (customers[0], customers[1]);
        var key = "key-" + Guid.NewGuid().ToString("N");
        var first = await ledger.CreditAsync(customer, 100m, key);
        Assert.True(first.Succeeded, first.Failure?.ToString());

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.IdempotencyConflictCode, () => ledger.CreditAsync(customer, 100.01m, key));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.IdempotencyConflictCode, () => ledger.DebitAsync(customer, 100m, key));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.IdempotencyConflictCode, () => ledger.TransferAsync(customer, other.AccountNumber, 100m, key));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.IdempotencyConflictCode,
            () => ledger.MoveAsync(customer, new MoneyOrder("credit", 100m, Narration: "another meaning", IdempotencyKey: key)));

        // The same request again is answered as the first time, and moves nothing.
        var before = await ledger.StateAsync();
        var again = await ledger.CreditAsync(customer, 100.00m, key);
        Assert.True(again.Succeeded, again.Failure?.ToString());
        Assert.True(again.Value!.Replayed);
        Assert.Equal(first.Value!.Line.TransactionId, again.Value.Line.TransactionId);
        Assert.Equal(before.Balances, (await ledger.StateAsync()).Balances);
        Assert.Equal(before.Transactions, (await ledger.StateAsync()).Transactions);

        // A key belongs to its customer: another customer may use the same key for their own request.
        var theirs = await ledger.CreditAsync(other, 5m, key);
        Assert.True(theirs.Succeeded, theirs.Failure?.ToString());
        Assert.False(theirs.Value!.Replayed);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_refused_request_does_not_use_up_its_idempotency_key(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customer = (await ledger.TakeCustomersAsync(1))[0];
        var key = "retry-" + Guid.NewGuid().ToString("N");

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InsufficientFundsCode, () => ledger.DebitAsync(customer, 50m, key));
        await ledger.FundAsync(customer, 50m);

        var retry = await ledger.DebitAsync(customer, 50m, key);
        Assert.True(retry.Succeeded, retry.Failure?.ToString());
        Assert.False(retry.Value!.Replayed);
        Assert.Equal(0, await ledger.BalanceAsync(customer));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Staff_cannot_move_money_and_malformed_orders_are_rejected_as_validation(DatabaseProvider provider)
    {
        var ledger = await shared.ForAsync(provider);
        var customers = await ledger.TakeCustomersAsync(2);
        await ledger.FundAsync(customers[0], 10m);

        await using (var client = ledger.Connect())
        {
            foreach (var role in new[] { Role.SuperAdmin, Role.Admin, Role.Employee })
            {
                var order = new MoneyOrder("credit", 1m);
                await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Forbidden,
                    () => client.Ledger.MoveAsync(new Actor(ledger.Administrator.UserId, role), order, TestContext.Current.CancellationToken));
            }
        }

        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.MoveAsync(customers[0], new MoneyOrder("deposit", 1m)));
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.MoveAsync(customers[0], new MoneyOrder(null, 1m)));
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.MoveAsync(customers[0], new MoneyOrder("transfer", 1m)));
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.MoveAsync(customers[0], new MoneyOrder("debit", 1m, customers[1].AccountNumber)));
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.MoveAsync(customers[0], new MoneyOrder("debit", 1m, IdempotencyKey: "")));
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.MoveAsync(customers[0], new MoneyOrder("debit", 1m, IdempotencyKey: "has space")));
        await ledger.AssertRefusedAndUnchangedAsync(FailureCodes.Validation, () => ledger.MoveAsync(customers[0], new MoneyOrder("debit", 1m, Narration: new string('n', 141))));
    }
}
