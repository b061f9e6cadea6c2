using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Accounts;

/// <summary>Reading the ledger: statements and searches (newest first, keyset-paged), one transaction, CSV export.</summary>
public sealed partial class LedgerService
{
    /// <summary>One page of statement lines: staff see every customer's, a customer only their own.</summary>
    public async Task<Result<Page<TransactionLine>>> ListAsync(Actor actor, TransactionQuery query, CancellationToken ct)
    {
        var filtered = await FilterAsync(actor, query, ct);
        if (filtered.Failure is { } failure)
        {
            return failure;
        }

        var (entries, limit) = filtered.Value;
        var staff = actor.Role.IsStaff();
        var rows = await Rows(entries).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.EntryId).Take(limit + 1).ToListAsync(ct);
        var next = rows.Count > limit ? new LineCursor(rows[limit - 1].CreatedAt.UtcTicks, rows[limit - 1].EntryId).Encode() : null;
        return Result<Page<TransactionLine>>.Ok(new Page<TransactionLine>(rows.Take(limit).Select(r => r.ToLine(staff)).ToList(), next));
    }

    /// <summary>Every line of the filter (no paging), streamed newest first, for the CSV export.</summary>
    public async Task<Result<IAsyncEnumerable<TransactionLine>>> ExportAsync(Actor actor, TransactionQuery query, CancellationToken ct)
    {
        var filtered = await FilterAsync(actor, query with { Limit = null }, ct);
        if (filtered.Failure is { } failure)
        {
            return failure;
        }

        var rows = Rows(filtered.Value.Entries).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.EntryId).AsAsyncEnumerable();
        return Result<IAsyncEnumerable<TransactionLine>>.Ok(Lines(rows, actor.Role.IsStaff(), ct));

        static async IAsyncEnumerable<TransactionLine> Lines(IAsyncEnumerable<LineRow> rows, bool staff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
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

        var entries = db.LedgerEntries.Where(e => e.LedgerTransactionId == transaction.Id && e.UserId != null);
        if (!actor.Role.IsStaff())
        {
            entries = entries.Where(e => e.UserId == actor.UserId);
        }

        var lines = (await Rows(entries).OrderBy(r => r.EntryId).ToListAsync(ct)).Select(r => r.ToLine(actor.Role.IsStaff())).ToList();
        if (lines.Count == 0)
        {
            return notFound;
        }

        return Result<TransactionDetails>.Ok(new TransactionDetails(
            transaction.TransactionId,
            TypeName(transaction.Type),
            Money.Money.ToRupees(transaction.AmountPaise),
            transaction.Narration,
            actor.Role.IsStaff() || transaction.InitiatedByUserId == actor.UserId ? transaction.InitiatedByUserId.ToString(CultureInfo.InvariantCulture) : null,
            transaction.Channel.ToString().ToLowerInvariant(),
            transaction.CreatedAt,
            lines));
    }

    /// <summary>The entries a query selects, after checking every filter; customers are held to their own account.</summary>
    private async Task<Result<(IQueryable<LedgerEntry> Entries, int Limit)>> FilterAsync(Actor actor, TransactionQuery query, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var entries = db.LedgerEntries.AsNoTracking();
        var staff = actor.Role.IsStaff();
        entries = staff ? entries.Where(e => e.UserId != null) : entries.Where(e => e.UserId == actor.UserId);

        if (!string.IsNullOrWhiteSpace(query.UserId))
        {
            if (UserService.ParseUserId(query.UserId.Trim()) is not { } userId)
            {
                errors.Add("userId", "Must be a User ID (digits only).");
            }
            else if (!staff && userId != actor.UserId)
            {
                errors.Add("userId", "Customers can see only their own transactions.");
            }
            else
            {
                entries = entries.Where(e => e.UserId == userId);
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
                var internalId = await db.LedgerTransactions.Where(t => t.TransactionId == id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? -1;
                entries = entries.Where(e => e.LedgerTransactionId == internalId);
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
                if (!staff && account?.UserId != actor.UserId)
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

        if (!string.IsNullOrWhiteSpace(query.Type))
        {
            switch (query.Type.Trim().ToLowerInvariant())
            {
                case "credit": entries = entries.Where(e => e.Type == TransactionType.Credit); break;
                case "debit": entries = entries.Where(e => e.Type == TransactionType.Debit); break;
                case "transfer": entries = entries.Where(e => e.Type == TransactionType.Transfer); break;
                default: errors.Add("type", "Must be one of credit, debit, transfer."); break;
            }
        }

        var from = ParseInstant(query.From, endOfDay: false, "from", errors);
        var to = ParseInstant(query.To, endOfDay: true, "to", errors);
        if (from is { } f)
        {
            entries = entries.Where(e => e.CreatedAt >= f);
        }

        if (to is { } t)
        {
            entries = entries.Where(e => e.CreatedAt < t);
        }

        if (from is not null && to is not null && from >= to)
        {
            errors.Add("to", "Must be after from.");
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

        var limit = query.Limit ?? TransactionQuery.DefaultLimit;
        if (limit is < 1 or > TransactionQuery.MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {TransactionQuery.MaxLimit}.");
        }

        if (!string.IsNullOrEmpty(query.Cursor))
        {
            if (LineCursor.TryDecode(query.Cursor) is { } cursor)
            {
                var at = new DateTimeOffset(cursor.Ticks, TimeSpan.Zero);
                entries = entries.Where(e => e.CreatedAt < at || (e.CreatedAt == at && e.Id < cursor.EntryId));
            }
            else
            {
                errors.Add("cursor", "Is not a cursor returned by this list.");
            }
        }

        return errors.Any ? Failure.Validation(errors.ToDictionary()) : Result<(IQueryable<LedgerEntry>, int)>.Ok((entries, limit));
    }

    /// <summary>A date (YYYY-MM-DD, a whole day in the bank's time zone) or an ISO 8601 instant with an offset.</summary>
    private DateTimeOffset? ParseInstant(string? text, bool endOfDay, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var day = endOfDay ? date.AddDays(1) : date;
            var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            return new DateTimeOffset(local, bank.Value.Zone.GetUtcOffset(local)).ToUniversalTime();
        }

        if (value.Length > 10 && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return endOfDay ? instant.ToUniversalTime().AddTicks(1) : instant.ToUniversalTime();
        }

        errors.Add(field, "Must be a date (YYYY-MM-DD) or an ISO 8601 time with an offset.");
        return null;
    }

    private static long? ParseAmount(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rupees)
            && Money.Money.TryToPaise(rupees, out var paise, out _))
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

/// <summary>The opaque position after the last line of a page: (created_at ticks, entry id).</summary>
internal sealed record LineCursor(long Ticks, long EntryId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Ticks}.{EntryId}")));

    public static LineCursor? TryDecode(string text)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new LineCursor(ticks, id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
