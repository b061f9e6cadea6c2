using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// The review step of a transfer: it names the payee (masked) and moves nothing; every receiving account that cannot receive
/// gets the one unknown-account answer; reviews are counted per customer and hour; statement lines name the other party.
/// </summary>
public sealed class TransferReviewTests
{
    [Theory, DatabaseData]
    public async Task A_review_names_the_payee_masked_and_moves_nothing(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (payer, payee) = (customers[0], customers[1]);
        await bank.FundAsync(payer, 500m);
        var before = await bank.StateAsync();

        var review = await ReviewAsync(bank, payer, payee.AccountNumber, 120.5m, "  Rent  ");

        Assert.True(review.Succeeded, review.Failure?.ToString());
        Assert.Equal(new TransferReview(payer.AccountNumber, payee.AccountNumber, "Test C.", 120.50m, "Rent"), review.Value);
        Assert.Equivalent(before, await bank.StateAsync());
        await using var db = bank.Database.CreateContext();
        var audited = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.TransferReviewed, TestContext.Current.CancellationToken);
        Assert.Equal((payer.UserId, payee.UserId), (audited.ActorUserId!.Value, audited.TargetUserId!.Value));
    }

    [Theory, DatabaseData]
    public async Task Unknown_frozen_closed_and_suspended_payees_get_one_refusal_at_the_review(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(4);
        var (payer, frozen, closed, suspended) = (customers[0], customers[1], customers[2], customers[3]);
        await bank.FundAsync(payer, 500m);
        Assert.True((await bank.ChangeStatusAsync(bank.Administrator, frozen.AccountNumber, "Frozen")).Succeeded);
        Assert.True((await bank.ChangeStatusAsync(bank.Administrator, closed.AccountNumber, "Closed")).Succeeded);
        await bank.SetUserStatusAsync(suspended.UserId, UserStatus.Suspended);

        var refusals = new List<Failure>();
        foreach (var to in new[] { TestBank.UnusedAccountNumber(), frozen.AccountNumber, closed.AccountNumber, suspended.AccountNumber })
        {
            var review = await ReviewAsync(bank, payer, to, 1m);
            Assert.False(review.Succeeded);
            refusals.Add(review.Failure!);
        }

        Assert.Single(refusals.Select(f => (f.Type, f.Message, string.Join("|", f.FieldErrors!.Select(e => e.Key + ":" + string.Join(" ", e.Value))))).Distinct());
        Assert.Equal(FailureTypes.UnknownAccount, refusals[0].Type);
        Assert.Equal(["This account cannot receive transfers."], refusals[0].FieldErrors!["toAccountNumber"]);

        // The payer's own reasons come first and say nothing about the payee.
        Assert.Equal(FailureTypes.InsufficientFunds, (await ReviewAsync(bank, payer, frozen.AccountNumber, 500.01m)).Failure!.Type);
        Assert.Equal(FailureTypes.SameAccount, (await ReviewAsync(bank, payer, payer.AccountNumber, 1m)).Failure!.Type);
        Assert.Equal(FailureTypes.InvalidAccountNumber, (await ReviewAsync(bank, payer, TestBank.WithWrongCheckDigit(frozen.AccountNumber), 1m)).Failure!.Type);
    }

    [Theory, DatabaseData]
    public async Task Reviews_are_limited_per_customer_and_hour(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(3);
        var (payer, payee, other) = (customers[0], customers[1], customers[2]);
        await bank.FundAsync(payer, 10m);
        await bank.FundAsync(other, 10m);
        var limit = bank.Bank.TransferReviewsPerHour;
        for (var i = 0; i < limit; i++)
        {
            // Misses count as much as hits: they are what an enumeration mostly makes.
            var to = i % 2 == 0 ? payee.AccountNumber : TestBank.UnusedAccountNumber(i);
            Assert.NotEqual(FailureTypes.TooManyPayeeReviews, (await ReviewAsync(bank, payer, to, 1m)).Failure?.Type);
        }

        Assert.Equal(FailureTypes.TooManyPayeeReviews, (await ReviewAsync(bank, payer, payee.AccountNumber, 1m)).Failure!.Type);
        Assert.True((await ReviewAsync(bank, other, payee.AccountNumber, 1m)).Succeeded, "Another customer has their own count.");
        Assert.True((await bank.TransferAsync(payer, payee.AccountNumber, 1m)).Succeeded, "The limit is on looking up, not on paying.");

        bank.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.True((await ReviewAsync(bank, payer, payee.AccountNumber, 1m)).Succeeded);
    }

    [Theory, DatabaseData]
    public async Task Statement_lines_name_the_other_party_masked_for_customers_and_in_full_for_staff(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var (payer, payee) = (customers[0], customers[1]);
        await bank.FundAsync(payer, 50m);
        var moved = await bank.TransferAsync(payer, payee.AccountNumber, 20m);
        Assert.True(moved.Succeeded, moved.Failure?.ToString());
        Assert.Equal("Test C.", moved.Value!.Line.CounterpartyName);

        await using var scope = bank.Scope();
        var statements = scope.Get<Statements>();
        var sent = (await statements.ListAsync(payer.Actor, new TransactionQuery(), TestContext.Current.CancellationToken)).Value!.Items;
        Assert.Equal(["Test C.", null], sent.Select(l => l.CounterpartyName));
        var received = (await statements.ListAsync(payee.Actor, new TransactionQuery(), TestContext.Current.CancellationToken)).Value!.Items;
        Assert.Equal("Test C.", Assert.Single(received).CounterpartyName);
        var staff = (await statements.ListAsync(bank.Administrator, new TransactionQuery(TransactionId: moved.Value.Line.TransactionId), TestContext.Current.CancellationToken)).Value!.Items;
        var names = await scope.Db.Users.Where(u => u.Id == payer.UserId || u.Id == payee.UserId)
            .ToDictionaryAsync(u => u.Id, u => u.FirstName + " " + u.LastName, TestContext.Current.CancellationToken);
        Assert.Equal(names[payee.UserId], staff.Single(l => l.AccountNumber == payer.AccountNumber).CounterpartyName);
        Assert.Equal(names[payer.UserId], staff.Single(l => l.AccountNumber == payee.AccountNumber).CounterpartyName);
        Assert.StartsWith("Test Customer ", names[payee.UserId], StringComparison.Ordinal);
    }

    [Fact]
    public void A_masked_name_is_the_first_name_and_the_last_names_initial()
    {
        Assert.Equal("Ravi K.", PayeeName.Masked("Ravi", "Kumar"));
        Assert.Equal("Mary Ann D.", PayeeName.Masked(" Mary Ann ", "de Souza"));
        Assert.Equal("Asha", PayeeName.Masked("Asha", " "));
        Assert.Equal("अनु श.", PayeeName.Masked("अनु", "शर्मा"));
    }

    private static async Task<Result<TransferReview>> ReviewAsync(TestBank bank, Customer from, string to, decimal amount, string? narration = null)
    {
        await using var scope = bank.Scope();
        return await scope.Get<TransferReviews>().ReviewAsync(from.Actor, new MoneyOrder("transfer", amount, to, narration), TestContext.Current.CancellationToken);
    }
}
