using System.Globalization;
using System.Runtime.CompilerServices;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Reports;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Accounts;

/// <summary>
/// Reading the ledger (SPEC §5): statements and searches newest first, keyset-paged; one transaction; the CSV export of a
/// filter. Staff see every customer's lines, a customer only their own, whatever the query says.
/// </summary>
public sealed class Statements(BankDbContext db, BankCalendar calendar)
{
    private const string List = "transactions";

    /// <summary>One page of statement lines.</summary>
    public async Task<Result<Page<TransactionLine>>> ListAsync(Actor actor, TransactionQuery query, CancellationToken ct)
    {
        if (!(await SelectAsync(actor, query, ct)).TryGet(out var selection, out var invalid))
        {
            return invalid;
        }

        var rows = await selection.Rows.Take(selection.Window.Fetch).ToListAsync(ct);
        return selection.Window.ToPage(rows, r => new LineKey(r.CreatedAt, r.EntryId), r => r.ToLine(actor.Role.IsStaff()));
    }

    /// <summary>Every line of the filter (no limit), streamed newest first, for the CSV export.</summary>
    public async Task<Result<IAsyncEnumerable<TransactionLine>>> ExportAsync(Actor actor, TransactionQuery query, CancellationToken ct)
    {
        if (!(await SelectAsync(actor, query with { Limit = null }, ct)).TryGet(out var selection, out var invalid))
        {
            return invalid;
        }

        return Result.Ok(Lines(selection.Rows.AsAsyncEnumerable(), actor.Role.IsStaff(), ct));

        static async IAsyncEnumerable<TransactionLine> Lines(IAsyncEnumerable<LineRow> rows, bool staff, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var row in rows.WithCancellation(ct))
            {
                yield return row.ToLine(staff);
            }
        }
    }

    /// <summary>One transaction: staff see every customer side; a customer sees only their own side, and "not found" for anyone else's.</summary>
    public async Task<Result<TransactionDetails>> GetAsync(Actor actor, string transactionId, CancellationToken ct)
    {
        var notFound = Failure.NotFound($"No transaction '{transactionId}' is visible to you.");
        if (!TransactionIds.IsWellFormed(transactionId))
        {
            return notFound;
        }

        var transaction = await db.LedgerTransactions.AsNoTracking().FirstOrDefaultAsync(t => t.TransactionId == transactionId, ct);
        if (transaction is null)
        {
            return notFound;
        }

        var staff = actor.Role.IsStaff();
        var entries = db.LedgerEntries.Where(e => e.LedgerTransactionId == transaction.Id && e.UserId != null);
        if (!staff)
        {
            entries = entries.Where(e => e.UserId == actor.UserId.Value);
        }

        var lines = (await LineRow.Query(db, entries).OrderBy(r => r.EntryId).ToListAsync(ct)).Select(r => r.ToLine(staff)).ToList();
        if (lines.Count == 0)
        {
            return notFound;
        }

        return new TransactionDetails(
            transaction.TransactionId,
            transaction.Type,
            Rupees.FromPaise(transaction.AmountPaise),
            transaction.Narration,
            staff || transaction.InitiatedByUserId == actor.UserId.Value ? new UserId(transaction.InitiatedByUserId).ToString() : null,
            transaction.Channel,
            transaction.CreatedAt,
            lines);
    }

    /// <summary>The sort key of a line: newest first by time, then by entry.</summary>
    private sealed record LineKey(DateTimeOffset At, long Id);

    private sealed record Selection(IQueryable<LineRow> Rows, PageWindow<LineKey> Window);

    /// <summary>The lines a query selects, newest first from its cursor on, after checking every filter; customers are held to their own account.</summary>
    private async Task<Result<Selection>> SelectAsync(Actor actor, TransactionQuery query, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var entries = db.LedgerEntries.AsNoTracking();
        var staff = actor.Role.IsStaff();
        entries = staff ? entries.Where(e => e.UserId != null) : entries.Where(e => e.UserId == actor.UserId.Value);

        if (!string.IsNullOrWhiteSpace(query.UserId))
        {
            if (!UserId.TryParse(query.UserId, out var userId))
            {
                errors.Add("userId", "Must be a User ID (digits only).");
            }
            else if (!staff && userId != actor.UserId)
            {
                errors.Add("userId", "Customers can see only their own transactions.");
            }
            else
            {
                entries = entries.Where(e => e.UserId == userId.Value);
            }
        }

        if (!string.IsNullOrWhiteSpace(query.TransactionId))
        {
            var id = query.TransactionId.Trim().ToUpperInvariant();
            if (!TransactionIds.IsWellFormed(id))
            {
                errors.Add("transactionId", "Must look like TXN followed by letters and digits.");
            }
            else
            {
                // An uncorrelated subquery: the database finds the transaction once, then its entries by index.
                entries = entries.Where(e => e.LedgerTransactionId == db.LedgerTransactions.Where(t => t.TransactionId == id).Select(t => t.Id).FirstOrDefault());
            }
        }

        if (!string.IsNullOrWhiteSpace(query.AccountNumber))
        {
            var number = query.AccountNumber.Trim();
            if (!AccountNumber.IsValid(number))
            {
                errors.Add("accountNumber", "Must be 12 digits with a correct check digit.");
            }
            else
            {
                var account = await db.Accounts.Where(a => a.AccountNumber == number).Select(a => new { a.Id, a.UserId }).FirstOrDefaultAsync(ct);
                if (!staff && account?.UserId != actor.UserId.Value)
                {
                    errors.Add("accountNumber", "Customers can see only their own account.");
                }
                else
                {
                    var accountId = account?.Id ?? -1;
                    entries = entries.Where(e => e.AccountId == accountId);
                }
            }
        }

        if (errors.Parse<TransactionType>("type", query.Type) is { } type)
        {
            entries = entries.Where(e => e.Type == type);
        }

        var (from, to) = calendar.ParseRange(query.From, query.To, errors);
        if (from is { } f)
        {
            entries = entries.Where(e => e.CreatedAt >= f);
        }

        if (to is { } t)
        {
            entries = entries.Where(e => e.CreatedAt < t);
        }

        var min = ParseAmount(query.MinAmount, "minAmount", errors);
        var max = ParseAmount(query.MaxAmount, "maxAmount", errors);
        if (min is { } low)
        {
            entries = entries.Where(e => e.AmountPaise >= low || e.AmountPaise <= -low);
        }

        if (max is { } high)
        {
            entries = entries.Where(e => e.AmountPaise <= high && e.AmountPaise >= -high);
        }

        if (min > max)
        {
            errors.Add("maxAmount", "Must not be less than minAmount.");
        }

        var window = query.Window<LineKey>(List, errors);
        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        if (window.After is { } after)
        {
            // The first condition alone is redundant, but it bounds the index range: without it the database reads the
            // customer's entries from the newest down and drops every one above the cursor, so page 400 cost 400 pages.
            var at = after.At.ToUniversalTime();
            entries = entries.Where(e => e.CreatedAt <= at && (e.CreatedAt < at || (e.CreatedAt == at && e.Id < after.Id)));
        }

        return new Selection(LineRow.Query(db, entries).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.EntryId), window);
    }

    private static long? ParseAmount(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rupees)
            && Rupees.TryToPaise(rupees, out var paise, out _))
        {
            return paise;
        }

        if (text.Trim() is "0" or "0.0" or "0.00")
        {
            return 0;
        }

        errors.Add(field, "Must be an amount in rupees with at most two decimals, for example 1500.50.");
        return null;
    }
}

/// <summary>A statement line as the database returns it (paise, ids), turned into a <see cref="TransactionLine"/> in memory.</summary>
internal sealed class LineRow
{
    public long EntryId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string TransactionId { get; init; } = "";

    public TransactionType Type { get; init; }

    public long AmountPaise { get; init; }

    public long BalanceAfterPaise { get; init; }

    public string AccountNumber { get; init; } = "";

    public long? UserId { get; init; }

    public string? CounterpartyAccountNumber { get; init; }

    public string? CounterpartyFirstName { get; init; }

    public string? CounterpartyLastName { get; init; }

    public string? Narration { get; init; }

    public long InitiatedByUserId { get; init; }

    public Channel Channel { get; init; }

    /// <summary>
    /// Rows for statement lines (customer entries), ready to order and page in SQL: the other side of a transfer (its account
    /// and owner's name) by two left joins, so a page of lines is one query.
    /// </summary>
    public static IQueryable<LineRow> Query(BankDbContext db, IQueryable<LedgerEntry> entries) =>
        from e in entries
        join t in db.LedgerTransactions on e.LedgerTransactionId equals t.Id
        join a in db.Accounts on e.AccountId equals a.Id
        from c in db.Accounts.Where(c => c.Id == e.CounterpartyAccountId).DefaultIfEmpty()
        from u in db.Users.Where(u => c != null && u.Id == c.UserId).DefaultIfEmpty()
        select new LineRow
        {
            EntryId = e.Id,
            CreatedAt = e.CreatedAt,
            TransactionId = t.TransactionId,
            Type = e.Type,
            AmountPaise = e.AmountPaise,
            BalanceAfterPaise = e.BalanceAfterPaise,
            AccountNumber = a.AccountNumber,
            UserId = e.UserId,
            CounterpartyAccountNumber = c == null ? null : c.AccountNumber,
            CounterpartyFirstName = u == null ? null : u.FirstName,
            CounterpartyLastName = u == null ? null : u.LastName,
            Narration = t.Narration,
            InitiatedByUserId = t.InitiatedByUserId,
            Channel = t.Channel,
        };

    /// <summary>
    /// The line as its viewer may see it: a customer is not shown another customer's User ID (it is their sign-in name), and
    /// sees the other party's name masked (<see cref="PayeeName"/>).
    /// </summary>
    public TransactionLine ToLine(bool staffView) => new(
        TransactionId,
        Type,
        AmountPaise > 0 ? Direction.In : Direction.Out,
        Rupees.FromPaise(Math.Abs(AmountPaise)),
        Rupees.FromPaise(BalanceAfterPaise),
        AccountNumber,
        UserId is { } owner ? new UserId(owner).ToString() : null,
        CounterpartyAccountNumber,
        PayeeName.For(staffView, CounterpartyFirstName, CounterpartyLastName),
        Narration,
        staffView || InitiatedByUserId == UserId ? new UserId(InitiatedByUserId).ToString() : null,
        Channel,
        CreatedAt);
}
