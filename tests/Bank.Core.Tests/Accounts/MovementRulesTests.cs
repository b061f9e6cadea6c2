using Bank.Core.Accounts;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// The review and the move refuse in one order (<see cref="MovementRules"/>): a transfer that breaks two rules gets the
/// same first refusal, with the same words, from both; the move changes nothing. Who comes first in the lock order (the
/// payer or the payee) makes no difference.
/// </summary>
public sealed class MovementRulesTests
{
    [Theory, DatabaseData]
    public async Task A_transfer_that_breaks_two_rules_gets_the_same_first_refusal_from_the_review_and_the_move(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(7);
        // The first customer has the lowest id: a payee before every payer in the lock order.
        var (earlyFrozen, poor, frozenPayer, closedPayer, suspendedPayer, frozenPayee, payee) =
            (customers[0], customers[1], customers[2], customers[3], customers[4], customers[5], customers[6]);
        await bank.FundAsync(poor, 10m);
        await bank.FundAsync(frozenPayer, 100m);
        await bank.FundAsync(suspendedPayer, 100m);
        foreach (var account in new[] { earlyFrozen, frozenPayer, frozenPayee })
        {
            Assert.True((await bank.ChangeStatusAsync(bank.Administrator, account.AccountNumber, "Frozen")).Succeeded);
        }

        Assert.True((await bank.ChangeStatusAsync(bank.Administrator, closedPayer.AccountNumber, "Closed")).Succeeded);
        await bank.SetUserStatusAsync(suspendedPayer.UserId, UserStatus.Suspended);
        var unknown = TestBank.UnusedAccountNumber();

        var cases = new (string Name, Customer Payer, string To, string Amount, FailureType First)[]
        {
            ("amount before check digit", poor, TestBank.WithWrongCheckDigit(payee.AccountNumber), "10.001", FailureTypes.InvalidAmount),
            ("limit before the payee", poor, unknown, "20,00,000", FailureTypes.LimitExceeded),
            ("check digit before the accounts", frozenPayer, TestBank.WithWrongCheckDigit(payee.AccountNumber), "1", FailureTypes.InvalidAccountNumber),
            ("frozen before an unknown payee", frozenPayer, unknown, "1", FailureTypes.AccountFrozen),
            ("frozen before the same account", frozenPayer, frozenPayer.AccountNumber, "1", FailureTypes.AccountFrozen),
            ("frozen before insufficient funds", frozenPayer, payee.AccountNumber, "1,000", FailureTypes.AccountFrozen),
            ("closed before the same account", closedPayer, closedPayer.AccountNumber, "1", FailureTypes.AccountClosed),
            ("closed before a frozen payee", closedPayer, frozenPayee.AccountNumber, "1", FailureTypes.AccountClosed),
            ("not active before an unknown payee", suspendedPayer, unknown, "1", FailureTypes.CustomerNotActive),
            ("not active before a frozen payee", suspendedPayer, frozenPayee.AccountNumber, "1", FailureTypes.CustomerNotActive),
            ("same account before insufficient funds", poor, poor.AccountNumber, "20", FailureTypes.SameAccount),
            ("insufficient funds before an unknown payee", poor, unknown, "20", FailureTypes.InsufficientFunds),
            ("insufficient funds before the bank's own account", poor, BankAccounts.CashAccountNumber, "20", FailureTypes.InsufficientFunds),
            ("insufficient funds before a frozen payee", poor, frozenPayee.AccountNumber, "20", FailureTypes.InsufficientFunds),
            ("insufficient funds before a frozen payee first in lock order", poor, earlyFrozen.AccountNumber, "20", FailureTypes.InsufficientFunds),
            ("the payee last: unknown", poor, unknown, "5", FailureTypes.UnknownAccount),
            ("the payee last: frozen", poor, frozenPayee.AccountNumber, "5", FailureTypes.UnknownAccount),
            ("the payee last: frozen, first in lock order", poor, earlyFrozen.AccountNumber, "5", FailureTypes.UnknownAccount),
        };

        foreach (var (name, payer, to, amount, first) in cases)
        {
            var order = MoneyOrder.Typed("transfer", amount, to, null, null, Channel.Web);
            Result<TransferReview> review;
            await using (var scope = bank.Scope())
            {
                review = await scope.Get<TransferReviews>().ReviewAsync(payer.Actor, order, TestContext.Current.CancellationToken);
            }

            Assert.Equal((name, first.Code), (name, review.Failure?.Code));
            var moved = await bank.AssertRefusedAndUnchangedAsync(first, () => bank.MoveAsync(payer, order));
            Assert.Equal((name, review.Failure!.ToString()), (name, moved.ToString()));
        }
    }
}
