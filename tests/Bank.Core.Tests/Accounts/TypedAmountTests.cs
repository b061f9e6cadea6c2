using Bank.Core.Accounts;
using Bank.Core.Money;
using Bank.Core.Tests.Infrastructure;
using Bank.Testing;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// An amount typed into a form is read by Core (<see cref="Rupees.TryParseTyped"/>): Indian grouping and a leading ₹ are
/// fine; anything else that is not a positive amount of whole paise is the invalid-amount field error the page shows.
/// </summary>
public sealed class TypedAmountTests
{
    private const string NotAnAmount = "Must be an amount in rupees, for example 1500.50.";
    private const string NotPositive = "Must be more than zero.";
    private const string FinerThanPaise = "Must have at most two decimal places (whole paise).";

    [Theory]
    [InlineData("1,500.50", 150_050)]
    [InlineData("₹1,500.50", 150_050)]
    [InlineData(" ₹ 10,00,000 ", 100_000_000)]
    [InlineData("1500", 150_000)]
    [InlineData("10.5", 1_050)]
    [InlineData("0.01", 1)]
    [InlineData("2.500", 250)]
    public void A_typed_amount_is_read_to_the_paisa(string text, long paise)
    {
        Assert.True(Rupees.TryParseTyped(text, out var read, out var problem), problem);
        Assert.Equal(paise, read);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(null, NotAnAmount)]
    [InlineData("", NotAnAmount)]
    [InlineData("   ", NotAnAmount)]
    [InlineData("₹", NotAnAmount)]
    [InlineData("abc", NotAnAmount)]
    [InlineData("-5", NotAnAmount)]
    [InlineData("1e3", NotAnAmount)]
    [InlineData("1.2.3", NotAnAmount)]
    [InlineData("12 34", NotAnAmount)]
    [InlineData("1234567890123456789012345678901", NotAnAmount)]
    [InlineData("0", NotPositive)]
    [InlineData("0.00", NotPositive)]
    [InlineData("10.001", FinerThanPaise)]
    [InlineData("1,000.505", FinerThanPaise)]
    [InlineData("999999999999999999999", "Is far too large.")]
    public void Text_that_is_not_a_positive_amount_of_whole_paise_says_why(string? text, string problem)
    {
        Assert.False(Rupees.TryParseTyped(text, out var paise, out var why));
        Assert.Equal(0, paise);
        Assert.Equal(problem, why);
    }

    [Theory, DatabaseData]
    public async Task A_typed_order_moves_what_was_typed_and_a_mistyped_one_is_refused_with_the_field_error(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (customer, other) = (customers[0], customers[1]);

        var deposit = await bank.MoveAsync(customer, MoneyOrder.Typed("credit", "₹1,500.50", null, "Salary", null, Channel.Web));
        Assert.True(deposit.Succeeded, deposit.Failure?.ToString());
        Assert.Equal(150_050, await bank.BalanceAsync(customer));
        Assert.Equal(1_500.50m, deposit.Value!.Line.Amount);

        foreach (var (text, problem) in new[] { ((string?)null, NotAnAmount), ("", NotAnAmount), ("5,0x", NotAnAmount), ("0", NotPositive), ("10.001", FinerThanPaise) })
        {
            var failure = await bank.AssertRefusedAndUnchangedAsync(FailureTypes.InvalidAmount,
                () => bank.MoveAsync(customer, MoneyOrder.Typed("debit", text, null, null, null, Channel.Web)));
            Assert.Equal($"The amount is not valid: {problem}", failure.Message);
            Assert.Equal([problem], failure.FieldErrors!["amount"]);

            // The review reads the same text the same way.
            await using var scope = bank.Scope();
            var review = await scope.Get<TransferReviews>().ReviewAsync(customer.Actor,
                MoneyOrder.Typed("transfer", text, other.AccountNumber, null, null, Channel.Web), TestContext.Current.CancellationToken);
            Assert.Equal(failure.ToString(), review.Failure?.ToString());
        }

        // Over the limit when typed too.
        await bank.AssertRefusedAndUnchangedAsync(FailureTypes.LimitExceeded,
            () => bank.MoveAsync(customer, MoneyOrder.Typed("credit", "10,00,000.01", null, null, null, Channel.Web)));
        await bank.AssertVerifiesAsync();
    }
}
