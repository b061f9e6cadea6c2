using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Core.Tests.Infrastructure;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Accounts;

/// <summary>The verifier passes honest books and catches a balance or an entry changed behind the bank's back.</summary>
public sealed class LedgerVerifierTests
{
    [Theory, DatabaseData]
    public async Task Honest_books_verify_with_the_right_counts(TestBank bank)
    {
        await bank.AddCustomersAsync(3);
        var empty = await bank.VerifyAsync();
        Assert.True(empty.Ok, string.Join('\n', empty.Problems));
        // Three customers' accounts and the bank's cash accounts.
        Assert.Equal((3 + BankAccounts.CashAccountCount, 0L, 0L), (empty.Accounts, empty.Transactions, empty.Entries));

        await MoveSomeMoneyAsync(bank);

        var report = await bank.VerifyAsync();
        Assert.True(report.Ok, string.Join('\n', report.Problems));
        Assert.Empty(report.Problems);
        Assert.Equal(3 + BankAccounts.CashAccountCount, report.Accounts);
        Assert.Equal(5, report.Transactions);
        Assert.Equal(10, report.Entries);
        Assert.Equal(0m, report.SumOfEntries);
        Assert.Equal(0m, report.SumOfBalances);
    }

    [Theory, DatabaseData]
    public async Task A_balance_changed_directly_in_the_database_is_caught_and_its_account_named(TestBank bank)
    {
        await bank.AddCustomersAsync(4);
        await MoveSomeMoneyAsync(bank);
        var tampered = bank.Customers[1].AccountNumber;
        // The fourth customer has no entries at all: a balance there is caught too.
        var withoutEntries = bank.Customers[3].AccountNumber;

        Assert.Equal(1, await bank.ExecuteAsync($"UPDATE accounts SET balance_paise = balance_paise + 1 WHERE account_number = {tampered}"));
        Assert.Equal(1, await bank.ExecuteAsync($"UPDATE accounts SET balance_paise = 7 WHERE account_number = {withoutEntries}"));

        var report = await bank.VerifyAsync();
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Contains(tampered, StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains(withoutEntries, StringComparison.Ordinal) && p.Contains("sum to 0.00", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.Contains(bank.Customers[0].AccountNumber, StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.Contains(bank.Customers[2].AccountNumber, StringComparison.Ordinal));
        Assert.Equal(0.08m, report.SumOfBalances);
    }

    [Theory, DatabaseData]
    public async Task An_entry_changed_directly_in_the_database_is_caught_and_its_transaction_and_account_named(TestBank bank)
    {
        await bank.AddCustomersAsync(3);
        await MoveSomeMoneyAsync(bank);
        var customer = bank.Customers[2];
        string transactionId;
        long entryId;
        await using (var db = bank.Database.CreateContext())
        {
            var entry = await db.LedgerEntries.Where(e => e.AccountId == customer.AccountId).OrderBy(e => e.Id).FirstAsync(TestContext.Current.CancellationToken);
            entryId = entry.Id;
            transactionId = await db.LedgerTransactions.Where(t => t.Id == entry.LedgerTransactionId).Select(t => t.TransactionId)
                .SingleAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, await bank.ExecuteAsync($"UPDATE ledger_entries SET amount_paise = amount_paise + 100 WHERE id = {entryId}"));

        var report = await bank.VerifyAsync();
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Contains(transactionId, StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains(customer.AccountNumber, StringComparison.Ordinal));
        Assert.Equal(1m, report.SumOfEntries);
    }

    [Theory, DatabaseData]
    public async Task A_transaction_without_entries_is_caught_and_named(TestBank bank)
    {
        await bank.AddCustomersAsync(3);
        await MoveSomeMoneyAsync(bank);

        // A copy of the first transaction's record, with a new public id and no entries behind it.
        Assert.Equal(1, await bank.ExecuteAsync($"""
            INSERT INTO ledger_transactions (transaction_id, type, amount_paise, narration, initiated_by_user_id, channel, created_at)
            SELECT 'TXNNOENTRIES0', type, amount_paise, narration, initiated_by_user_id, channel, created_at
            FROM ledger_transactions WHERE id = (SELECT MIN(id) FROM ledger_transactions)
            """));

        var report = await bank.VerifyAsync();
        Assert.False(report.Ok);
        Assert.Equal(["Transaction TXNNOENTRIES0: has 0 entries; a movement needs two."], report.Problems);
        Assert.Equal(6, report.Transactions);
        Assert.Equal(0m, report.SumOfEntries);
    }

    [Theory, DatabaseData]
    public async Task The_verifier_can_check_the_books_twice_on_one_context(TestBank bank)
    {
        await bank.AddCustomersAsync(3);
        await MoveSomeMoneyAsync(bank);
        await using var db = bank.Database.CreateContext();
        var verifier = new LedgerVerifier(db);

        var first = await verifier.VerifyAsync(TestContext.Current.CancellationToken);
        await bank.FundAsync(bank.Customers[0], 1m);
        var second = await verifier.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.True(first.Ok && second.Ok, string.Join('\n', first.Problems.Concat(second.Problems)));
        Assert.Equal(first.Transactions + 1, second.Transactions);
    }

    [Theory, DatabaseData]
    public async Task After_a_verification_the_next_request_on_the_pooled_context_can_write(TestBank bank)
    {
        await bank.AddCustomersAsync(3);
        await MoveSomeMoneyAsync(bank);
        var ct = TestContext.Current.CancellationToken;

        // Each request its own scope on the one pool of contexts, as in the app.
        for (var request = 0; request < 3; request++)
        {
            await using (var scope = bank.Scope())
            {
                var report = await scope.Get<LedgerVerifier>().VerifyAsync(ct);
                Assert.True(report.Ok, string.Join('\n', report.Problems));
            }

            await using (var scope = bank.Scope())
            {
                var db = scope.Db;
                var written = await scope.Get<WriteGate>().WriteAsync(db, async token =>
                    Result.Ok(await Counters.NextAsync(db, CounterNames.AccountNumber, token)), ct);
                Assert.True(written.Succeeded);
            }
        }
    }

    /// <summary>Five movements: three deposits, a withdrawal and a transfer.</summary>
    private static async Task MoveSomeMoneyAsync(TestBank bank)
    {
        var (a, b, c) = (bank.Customers[0], bank.Customers[1], bank.Customers[2]);
        await bank.FundAsync(a, 1_000m);
        await bank.FundAsync(b, 250.75m);
        await bank.FundAsync(c, 10m);
        Assert.True((await bank.DebitAsync(a, 99.99m)).Succeeded);
        Assert.True((await bank.TransferAsync(b, c.AccountNumber, 50.25m)).Succeeded);
    }
}
