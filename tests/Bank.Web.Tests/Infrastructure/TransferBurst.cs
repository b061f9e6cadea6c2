using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Bank.Core.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Infrastructure;

/// <summary>
/// Customers paying each other ₹1 from many concurrent workers, each worker one request after another on its own
/// connections; every transfer the bank acknowledged (201) is recorded with its transaction id and when the answer came.
/// A request that failed (refused connection, reset, any other status) is counted, not acknowledged.
/// </summary>
public sealed class TransferBurst
{
    private readonly ConcurrentDictionary<string, Acknowledgement> _acknowledged = new(StringComparer.Ordinal);
    private int _failed;
    private volatile bool _stopped;

    /// <summary>The acknowledged transfers by transaction id.</summary>
    public IReadOnlyDictionary<string, Acknowledgement> Acknowledged => _acknowledged;

    /// <summary>How many requests got no 201.</summary>
    public int Failed => _failed;

    /// <summary>Starts no more transfers; the ones under way finish.</summary>
    public void Stop() => _stopped = true;

    /// <summary>New customers with <paramref name="deposit"/> rupees each, made through the app's API.</summary>
    public static async Task<List<Customer>> CustomersAsync(BankApp app, int count, decimal deposit)
    {
        var admin = await app.SuperAdminAsync();
        var customers = new List<Customer>();
        for (var i = 0; i < count; i++)
        {
            var customer = await app.NewAsync(admin);
            await customer.DepositAsync(deposit);
            customers.Add(customer);
        }

        return customers;
    }

    /// <summary>
    /// Runs <paramref name="transfers"/> transfers from <paramref name="workers"/> workers; worker w pays from customer
    /// w mod n to the next customer, through <paramref name="clientOf"/> (the customer's client of the instance under test).
    /// </summary>
    public async Task RunAsync(IReadOnlyList<Customer> customers, Func<Customer, HttpClient> clientOf, int transfers, int workers)
    {
        var next = -1;
        var clients = customers.Select(clientOf).ToList();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var from = w % customers.Count;
            var to = customers[(from + 1) % customers.Count].AccountNumber;
            while (!_stopped && Interlocked.Increment(ref next) < transfers)
            {
                try
                {
                    using var response = await clients[from].PostAsJsonAsync("/api/v1/transactions", new { type = "transfer", amount = 1.00m, toAccountNumber = to });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var line = await response.JsonAsync();
                        _acknowledged[line["transactionId"]!.GetValue<string>()] = new Acknowledgement(Stopwatch.GetTimestamp(), customers[from]);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                {
                    // The instance went away under this request: not acknowledged.
                }

                Interlocked.Increment(ref _failed);
            }
        }));
    }

    /// <summary>The sum of all customer balances, in paise.</summary>
    public static Task<long> CustomerMoneyAsync(Core.Data.BankDbContext db) =>
        db.Accounts.Where(a => a.Kind == AccountKind.Customer).SumAsync(a => a.BalancePaise, TestContext.Current.CancellationToken);

    /// <summary>Asserts that each transaction is in the books with both its entries.</summary>
    public static async Task AssertInTheBooksAsync(Core.Data.BankDbContext db, IReadOnlyCollection<string> transactionIds)
    {
        var ids = transactionIds.ToList();
        var found = await db.LedgerTransactions.Where(t => ids.Contains(t.TransactionId))
            .Select(t => new { t.TransactionId, Entries = t.Entries.Count })
            .ToDictionaryAsync(t => t.TransactionId, t => t.Entries, TestContext.Current.CancellationToken);
        var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {ids.Count} acknowledged transfers are not in the books: {string.Join(", ", missing.Take(5))}");
        Assert.All(found, t => Assert.Equal(2, t.Value));
    }

    /// <summary>Asserts that every transfer in the books has both its entries (none half-applied).</summary>
    public static async Task AssertNoneHalfAppliedAsync(Core.Data.BankDbContext db)
    {
        var torn = await db.LedgerTransactions.Where(t => t.Type == TransactionType.Transfer && t.Entries.Count != 2)
            .Select(t => t.TransactionId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.True(torn.Count == 0, $"Half-applied transfers: {string.Join(", ", torn)}");
    }
}

/// <summary>A 201 for a transfer: when it came (a <see cref="Stopwatch"/> timestamp) and who paid.</summary>
public sealed record Acknowledgement(long At, Customer Payer);
