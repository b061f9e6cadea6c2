using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Users;

namespace Bank.Core.Tests.Vocabulary;

/// <summary>One way enums become text: the wire name, parsed back in any case, never from a number.</summary>
public sealed class EnumTextTests
{
    [Fact]
    public void Wire_names_are_the_bank_s_words()
    {
        Assert.Equal("Super_Admin", Role.SuperAdmin.Name());
        Assert.Equal("credit", TransactionType.Credit.Name());
        Assert.Equal("out", Direction.Out.Name());
        Assert.Equal("api", Channel.Api.Name());
        Assert.Equal("Frozen", AccountStatus.Frozen.Name());
        Assert.Equal("WrongPassword", LoginOutcome.WrongPassword.Name());
        Assert.Equal("Must be one of credit, debit, transfer.", EnumText.MustBeOneOf<TransactionType>());
        Assert.Equal("Super_Admin, Admin, Employee, Customer", EnumText.Choices<Role>());
    }

    [Theory]
    [InlineData("Super_Admin", Role.SuperAdmin)]
    [InlineData(" super_admin ", Role.SuperAdmin)]
    [InlineData(" Customer ", Role.Customer)]
    [InlineData("CUSTOMER", Role.Customer)]
    public void Any_case_and_surrounding_spaces_parse(string text, Role expected)
    {
        Assert.True(EnumText.TryParse<Role>(text, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("SuperAdmin")]
    [InlineData("Super Admin")]
    [InlineData("")]
    [InlineData(null)]
    public void Numbers_member_names_that_are_not_wire_names_and_blanks_do_not_parse(string? text) =>
        Assert.False(EnumText.TryParse<Role>(text, out _));

    [Fact]
    public void Field_errors_name_the_field_and_the_choices_and_blank_means_no_filter()
    {
        var errors = new FieldErrors();

        Assert.Equal(TransactionType.Debit, errors.Parse<TransactionType>("type", "Debit"));
        Assert.Null(errors.Parse<TransactionType>("type", "  "));
        Assert.False(errors.Any);
        Assert.Null(errors.Parse<TransactionType>("type", "refund"));

        var failure = errors.ToFailure();
        Assert.Equal(FailureTypes.Validation, failure!.Type);
        Assert.Equal(["Must be one of credit, debit, transfer."], failure.FieldErrors!["type"]);
    }
}
