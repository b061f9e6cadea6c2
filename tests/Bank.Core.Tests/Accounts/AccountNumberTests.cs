using Bank.Core.Accounts;

namespace Bank.Core.Tests.Accounts;

public sealed class AccountNumberTests
{
    private static readonly long[] Bodies = [AccountNumber.FirstBody, AccountNumber.FirstBody + 1, 50010000999, 12345678901, 99999999999, 10000000000, 31415926535];

    [Fact]
    public void Numbers_made_from_a_body_are_twelve_digits_and_valid()
    {
        foreach (var body in Bodies)
        {
            var number = AccountNumber.FromBody(body);
            Assert.Equal(12, number.Length);
            Assert.StartsWith(body.ToString(System.Globalization.CultureInfo.InvariantCulture), number, StringComparison.Ordinal);
            Assert.True(AccountNumber.IsValid(number), number);
        }
    }

    [Fact]
    public void Every_single_digit_error_is_caught()
    {
        foreach (var body in Bodies)
        {
            var number = AccountNumber.FromBody(body);
            for (var position = 0; position < number.Length; position++)
            {
                for (var digit = '0'; digit <= '9'; digit++)
                {
                    if (digit == number[position])
                    {
                        continue;
                    }

                    var typo = number[..position] + digit + number[(position + 1)..];
                    Assert.False(AccountNumber.IsValid(typo), $"{number} -> {typo}");
                }
            }
        }
    }

    [Fact]
    public void Every_adjacent_transposition_is_caught_including_09_and_90()
    {
        var numbers = Bodies.Select(AccountNumber.FromBody).Append(AccountNumber.FromBody(50010000901)).Append(AccountNumber.FromBody(90909090909));
        foreach (var number in numbers)
        {
            for (var i = 0; i < number.Length - 1; i++)
            {
                if (number[i] == number[i + 1])
                {
                    continue;
                }

                var swapped = number[..i] + number[i + 1] + number[i] + number[(i + 2)..];
                Assert.False(AccountNumber.IsValid(swapped), $"{number} -> {swapped}");
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("50010000001")]
    [InlineData("5001000000123")]
    [InlineData("50010000001a")]
    [InlineData(" 500100000012")]
    public void Malformed_numbers_are_invalid(string? text) => Assert.False(AccountNumber.IsValid(text));
}
