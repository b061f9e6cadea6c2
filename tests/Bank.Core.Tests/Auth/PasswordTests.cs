using Bank.Core.Auth;
using Microsoft.Extensions.Options;

namespace Bank.Core.Tests.Auth;

public sealed class PasswordTests
{
    [Theory]
    [InlineData("", "required")]
    [InlineData("abc123", "at least 12")]
    [InlineData("abcdefghijklmnop", "letters and digits")]
    [InlineData("1234567890123", "letters and digits")]
    [InlineData("qwertyuiop123", "common")]
    [InlineData("Password1234", "common")]
    public void Weak_passwords_are_refused_with_the_rule_they_break(string password, string rule) =>
        Assert.Contains(rule, PasswordPolicy.Check(password), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Passwords_longer_than_128_characters_are_refused() =>
        Assert.Contains("at most 128", PasswordPolicy.Check(new string('a', 120) + "123456789"), StringComparison.Ordinal);

    [Fact]
    public void The_common_password_list_has_at_least_ten_thousand_entries() =>
        Assert.True(PasswordPolicy.CommonPasswordCount >= 10_000, $"{PasswordPolicy.CommonPasswordCount} entries");

    [Fact]
    public void Generated_passwords_are_unique_and_pass_the_policy()
    {
        var generated = Enumerable.Range(0, 200).Select(_ => Passwords.Generate()).ToList();
        Assert.Equal(200, generated.Distinct().Count());
        Assert.All(generated, p =>
        {
            Assert.Null(PasswordPolicy.Check(p));
            Assert.Equal(16, p.Length);
            Assert.Contains(p, char.IsUpper);
            Assert.Contains(p, char.IsLower);
            Assert.Contains(p, char.IsDigit);
        });
    }

    [Fact]
    public void Hashes_verify_the_right_password_only_and_are_salted()
    {
        var passwords = new Passwords(Options.Create(new SecurityOptions()));
        var first = passwords.Hash("Correct-horse-42");
        var second = passwords.Hash("Correct-horse-42");

        Assert.NotEqual(first, second);
        Assert.True(passwords.Verify(first, "Correct-horse-42", out var rehash));
        Assert.False(rehash);
        Assert.False(passwords.Verify(first, "Correct-horse-43", out _));
    }
}
