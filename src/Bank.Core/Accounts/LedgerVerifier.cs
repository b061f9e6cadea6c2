using System.Data;
using Bank.Core.Data;
using Bank.Core.Money;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Accounts;

/// <summary>
/// Checks the books from one consistent snapshot: each balance equals the sum of its entries, each transaction's
/// entries sum to zero and its customer side matches its amount, and all entries (and all balances) sum to zero.
/// </summary>
public sealed class LedgerVerifier(BankDbContext db)
{
    private const int MaxListed = 50;

    /// <summary>Checks the books; lists at most 50 problems of each kind.</summary>
    public async Task<LedgerReport> VerifyAsync(CancellationToken ct)
    {
        await using var snapshot = await BeginSnapshotAsync(ct);
        var problems = new List<string>();

        var accounts = await db.Accounts.CountAsync(ct);
        var transactions = await db.LedgerTransactions.LongCountAsync(ct);
        var entries = await db.LedgerEntries.LongCountAsync(ct);
        var sumOfEntries = await db.LedgerEntries.SumAsync(e => (long?)e.AmountPaise, ct) ?? 0;
        var sumOfBalances = await db.Accounts.SumAsync(a => (long?)a.BalancePaise, ct) ?? 0;

        // Each check is one pass over the entries, grouped, left-joined to the accounts or the transactions: asking the
        // entries of each account (or transaction) in turn took five to six times as long on PostgreSQL (SQLite: the same). The grouped
        // figures are nullable, and read with ?? 0: the database gives NULL where an account or a transaction has no entries.
        var perAccount = db.LedgerEntries.GroupBy(e => e.AccountId).Select(g => new { AccountId = g.Key, Sum = (long?)g.Sum(e => e.AmountPaise) });
        var offBalances = await db.Accounts
            .LeftJoin(perAccount, a => a.Id, s => s.AccountId, (a, s) => new { a.AccountNumber, a.BalancePaise, Entries = s!.Sum ?? 0 })
            .Where(a => a.BalancePaise != a.Entries)
            .OrderBy(a => a.AccountNumber)
            .Take(MaxListed)
            .ToListAsync(ct);
        problems.AddRange(offBalances.Select(a =>
            $"Account {a.AccountNumber}: balance {Rupees.Plain(a.BalancePaise)} but its entries sum to {Rupees.Plain(a.Entries)}."));

        var perTransaction = db.LedgerEntries.GroupBy(e => e.LedgerTransactionId).Select(g => new
        {
            Id = g.Key,
            Sum = (long?)g.Sum(e => e.AmountPaise),
            Count = (int?)g.Count(),
            Positive = (long?)g.Sum(e => e.AmountPaise > 0 ? e.AmountPaise : 0),
        });
        var unbalanced = await db.LedgerTransactions
            .LeftJoin(perTransaction, t => t.Id, e => e.Id, (t, e) => new
            {
                t.TransactionId,
                t.AmountPaise,
                Sum = e!.Sum ?? 0,
                Count = e!.Count ?? 0,
                Positive = e!.Positive ?? 0,
            })
            .Where(t => t.Sum != 0 || t.Count < 2 || t.Positive != t.AmountPaise)
            .OrderBy(t => t.TransactionId)
            .Take(MaxListed)
            .ToListAsync(ct);
        problems.AddRange(unbalanced.Select(t => t.Sum != 0
            ? $"Transaction {t.TransactionId}: its entries sum to {Rupees.Plain(t.Sum)}, not zero."
            : t.Count < 2
                ? $"Transaction {t.TransactionId}: has {t.Count} entries; a movement needs two."
                : $"Transaction {t.TransactionId}: moves {Rupees.Plain(t.Positive)} but its amount is {Rupees.Plain(t.AmountPaise)}."));

        if (sumOfEntries != 0)
        {
            problems.Add($"All entries sum to {Rupees.Plain(sumOfEntries)}, not zero: money was created or destroyed.");
        }

        if (sumOfBalances != 0)
        {
            problems.Add($"All balances sum to {Rupees.Plain(sumOfBalances)}, not zero.");
        }

        return new LedgerReport(problems.Count == 0, accounts, transactions, entries,
            Rupees.FromPaise(sumOfEntries), Rupees.FromPaise(sumOfBalances), problems);
    }

    /// <summary>A read-only snapshot: REPEATABLE READ on PostgreSQL, a deferred (reader) transaction on SQLite under WAL.</summary>
    private async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        }

        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var reader = connection.BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(reader, ct);
        return new SqliteSnapshot(db, reader);
    }

    /// <summary>Ends a SQLite read snapshot: EF does not own a transaction it was handed, so this rolls it back and closes the connection.</summary>
    private sealed class SqliteSnapshot(BankDbContext db, SqliteTransaction reader) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null);
            await reader.RollbackAsync();
            await reader.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
