using System.Globalization;
using Bank.Core.Accounts;
using Bank.Core.Data;

namespace Bank.Core.Tests.Accounts;

/// <summary>Amounts are exact to the paisa, within the per-transaction limit, and never zero, negative or finer than a paisa.</summary>
public sealed class LedgerAmountTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deposits_of_ten_and_twenty_paise_make_exactly_thirty_paise(DatabaseProvider provider)
    {
        await using var ledger = await Ledger.CreateAsync(provider, customers: 1);
        var customer = ledger.Customers[0];

        await ledger.FundAsync(customer, 0.10m);
        var second = await ledger.CreditAsync(customer, 0.20m);

        Assert.True(second.Succeeded, second.Failure?.ToString());
        Assert.Equal(30, await ledger.BalanceAsync(customer));
        Assert.Equal("0.30", second.Value!.Line.BalanceAfter.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.20", second.Value.Line.Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(-30, await ledger.BalanceAsync(BankAccounts.CashAccountNumber));
        await ledger.AssertVerifiesAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_deposit_of_749_rupees_50_paise_is_kept_to_the_paisa_and_a_withdrawal_takes_it_back_exactly(DatabaseProvider provider)
    {
        await using var ledger = await Ledger.CreateAsync(provider, customers: 1);
        var customer = ledger.Customers[0];

        var deposit = await ledger.CreditAsync(customer, 749.50m);
        Assert.True(deposit.Succeeded, deposit.Failure?.ToString());
        Assert.Equal(74950, await ledger.BalanceAsync(customer));
        Assert.Equal(749.50m, deposit.Value!.Line.BalanceAfter);

        var withdrawal = await ledger.DebitAsync(customer, 749.49m);
        Assert.True(withdrawal.Succeeded, withdrawal.Failure?.ToString());
        Assert.Equal(1, await ledger.BalanceAsync(customer));
        Assert.Equal("0.01", withdrawal.Value!.Line.BalanceAfter.ToString(CultureInfo.InvariantCulture));
        await ledger.AssertVerifiesAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_deposit_of_exactly_the_limit_is_accepted_and_one_paisa_more_is_refused_with_limit_exceeded(DatabaseProvider provider)
    {
        await using var ledger = await Ledger.CreateAsync(provider, customers: 2);
        var (customer, other) = (ledger.Customers[0], ledger.Customers[1]);
        var limit = ledger.Bank.Value.PerTransactionLimit;
        Assert.Equal(1_000_000.00m, limit);

        var atLimit = await ledger.CreditAsync(customer, limit);
        Assert.True(atLimit.Succeeded, atLimit.Failure?.ToString());
        Assert.Equal(100_000_000, await ledger.BalanceAsync(customer));

        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.LimitExceededCode, () => ledger.CreditAsync(customer, limit + 0.01m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.LimitExceededCode, () => ledger.DebitAsync(customer, limit + 0.01m));
        await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.LimitExceededCode, () => ledger.TransferAsync(customer, other.AccountNumber, limit + 0.01m));

        // The limit is per transaction, not per day: a second transaction of the limit goes through.
        var transfer = await ledger.TransferAsync(customer, other.AccountNumber, limit);
        Assert.True(transfer.Succeeded, transfer.Failure?.ToString());
        Assert.Equal(0, await ledger.BalanceAsync(customer));
        Assert.Equal(100_000_000, await ledger.BalanceAsync(other));
        await ledger.AssertVerifiesAsync();
    }

    public static TheoryData<DatabaseProvider, string> InvalidAmounts()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            foreach (var type in new[] { "credit", "debit", "transfer" })
            {
                data.Add(provider, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidAmounts))]
    public async Task Zero_negative_sub_paisa_and_missing_amounts_are_refused_with_invalid_amount_and_change_nothing(DatabaseProvider provider, string type)
    {
        await using var ledger = await Ledger.CreateAsync(provider, customers: 2);
        var (customer, other) = (ledger.Customers[0], ledger.Customers[1]);
        await ledger.FundAsync(customer, 100m);

        foreach (var amount in new decimal?[] { 0m, 0.00m, -5m, -0.01m, 1.001m, 0.005m, 0.001m, 100.999m, null })
        {
            var order = new MoneyOrder(type, amount, type == "transfer" ? other.AccountNumber : null);
            var failure = await ledger.AssertRefusedAndUnchangedAsync(LedgerFailures.InvalidAmountCode, () => ledger.MoveAsync(customer, order));
            Assert.True(failure.FieldErrors?.ContainsKey("amount"), $"{amount}: the failure names the amount field");
        }

        Assert.Equal(10_000, await ledger.BalanceAsync(customer));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_decimals_written_with_trailing_zeros_are_whole_paise(DatabaseProvider provider)
    {
        await using var ledger = await Ledger.CreateAsync(provider, customers: 1);
        var customer = ledger.Customers[0];

        foreach (var amount in new[] { 1.000m, 2.5000m, 0.0100m })
        {
            var result = await ledger.CreditAsync(customer, amount);
            Assert.True(result.Succeeded, $"{amount}: {result.Failure}");
        }

        Assert.Equal(100 + 250 + 1, await ledger.BalanceAsync(customer));
        await ledger.AssertVerifiesAsync();
    }
}
