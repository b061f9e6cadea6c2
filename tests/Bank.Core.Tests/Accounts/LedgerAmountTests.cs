using System.Globalization;
using Bank.Core.Accounts;

using Bank.Core.Tests.Infrastructure;
using Bank.Testing;

namespace Bank.Core.Tests.Accounts;

/// <summary>Amounts are exact to the paisa, within the per-transaction limit, and never zero, negative or finer than a paisa.</summary>
public sealed class LedgerAmountTests
{
    [Theory, DatabaseData]
    public async Task Deposits_of_ten_and_twenty_paise_make_exactly_thirty_paise(TestBank bank)
    {
        await bank.AddCustomersAsync(1);
        var customer = bank.Customers[0];

        await bank.FundAsync(customer, 0.10m);
        var second = await bank.CreditAsync(customer, 0.20m);

        Assert.True(second.Succeeded, second.Failure?.ToString());
        Assert.Equal(30, await bank.BalanceAsync(customer));
        Assert.Equal("0.30", second.Value!.Line.BalanceAfter.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.20", second.Value.Line.Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(-30, await bank.CashAsync());
        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task A_deposit_of_749_rupees_50_paise_is_kept_to_the_paisa_and_a_withdrawal_takes_it_back_exactly(TestBank bank)
    {
        await bank.AddCustomersAsync(1);
        var customer = bank.Customers[0];

        var deposit = await bank.CreditAsync(customer, 749.50m);
        Assert.True(deposit.Succeeded, deposit.Failure?.ToString());
        Assert.Equal(74950, await bank.BalanceAsync(customer));
        Assert.Equal(749.50m, deposit.Value!.Line.BalanceAfter);

        var withdrawal = await bank.DebitAsync(customer, 749.49m);
        Assert.True(withdrawal.Succeeded, withdrawal.Failure?.ToString());
        Assert.Equal(1, await bank.BalanceAsync(customer));
        Assert.Equal("0.01", withdrawal.Value!.Line.BalanceAfter.ToString(CultureInfo.InvariantCulture));
        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task A_deposit_of_exactly_the_limit_is_accepted_and_one_paisa_more_is_refused_with_limit_exceeded(TestBank bank)
    {
        await bank.AddCustomersAsync(2);
        var (customer, other) = (bank.Customers[0], bank.Customers[1]);
        var limit = bank.Bank.PerTransactionLimit;
        Assert.Equal(1_000_000.00m, limit);

        var atLimit = await bank.CreditAsync(customer, limit);
        Assert.True(atLimit.Succeeded, atLimit.Failure?.ToString());
        Assert.Equal(100_000_000, await bank.BalanceAsync(customer));

        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.LimitExceeded, () => bank.CreditAsync(customer, limit + 0.01m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.LimitExceeded, () => bank.DebitAsync(customer, limit + 0.01m));
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.LimitExceeded, () => bank.TransferAsync(customer, other.AccountNumber, limit + 0.01m));

        // The limit is per transaction, not per day: a second transaction of the limit goes through.
        var transfer = await bank.TransferAsync(customer, other.AccountNumber, limit);
        Assert.True(transfer.Succeeded, transfer.Failure?.ToString());
        Assert.Equal(0, await bank.BalanceAsync(customer));
        Assert.Equal(100_000_000, await bank.BalanceAsync(other));
        await bank.AssertVerifiesAsync();
    }

    [Theory]
    [DatabaseData("credit")]
    [DatabaseData("debit")]
    [DatabaseData("transfer")]
    public async Task Zero_negative_sub_paisa_and_missing_amounts_are_refused_with_invalid_amount_and_change_nothing(TestBank bank, string type)
    {
        await bank.AddCustomersAsync(2);
        var (customer, other) = (bank.Customers[0], bank.Customers[1]);
        await bank.FundAsync(customer, 100m);

        foreach (var amount in new decimal?[] { 0m, 0.00m, -5m, -0.01m, 1.001m, 0.005m, 0.001m, 100.999m, null })
        {
            var order = new MoneyOrder(type, amount, type == "transfer" ? other.AccountNumber : null);
            var failure = await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAmount, () => bank.MoveAsync(customer, order));
            Assert.True(failure.FieldErrors?.ContainsKey("amount"), $"{amount}: the failure names the amount field");
        }

        Assert.Equal(10_000, await bank.BalanceAsync(customer));
    }

    [Theory, DatabaseData]
    public async Task Two_decimals_written_with_trailing_zeros_are_whole_paise(TestBank bank)
    {
        await bank.AddCustomersAsync(1);
        var customer = bank.Customers[0];

        foreach (var amount in new[] { 1.000m, 2.5000m, 0.0100m })
        {
            var result = await bank.CreditAsync(customer, amount);
            Assert.True(result.Succeeded, $"{amount}: {result.Failure}");
        }

        Assert.Equal(100 + 250 + 1, await bank.BalanceAsync(customer));
        await bank.AssertVerifiesAsync();
    }
}
