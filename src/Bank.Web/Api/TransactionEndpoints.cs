using System.Globalization;
using System.Text;
using System.Text.Json;
using Bank.Core;
using Bank.Core.Accounts;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bank.Web.Api;

/// <summary>The body of POST /transactions. The amount stays a raw JSON value so that "not a number" gets the invalid-amount answer.</summary>
public sealed record MoneyRequest(string? Type, JsonElement? Amount, string? ToAccountNumber, string? Narration)
{
    /// <summary>The amount as rupees, or null when it is missing or not a JSON number (Core answers invalid-amount).</summary>
    public decimal? Rupees => Amount is { ValueKind: JsonValueKind.Number } number && number.TryGetDecimal(out var value) ? value : null;
}

/// <summary>Money movements, statements and searches, one transaction, CSV export (SPEC §4–5).</summary>
public static class TransactionEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapTransactionEndpoints(this RouteGroupBuilder api)
    {
        var transactions = api.MapGroup("/transactions").WithTags("Transactions");
        transactions.MapPost("/", MoveAsync).RequireAuthorization(Policies.Customer)
            .WithSummary("Deposit (credit), withdraw (debit) or transfer from your own account. Send an Idempotency-Key header to make retries safe.");
        transactions.MapGet("/", ListAsync)
            .WithSummary("Statement lines, newest first, keyset-paged: staff see every customer's, a customer their own.");
        transactions.MapGet("/export", ExportAsync)
            .WithSummary("The current filter as CSV (all pages).");
        transactions.MapGet("/{transactionId}", GetAsync)
            .WithSummary("One transaction; a customer sees only their own.");
        return api;
    }

    private static async Task<Results<Created<TransactionLine>, ProblemHttpResult>> MoveAsync(
        MoneyRequest request, HttpContext context, LedgerService ledger, CancellationToken ct)
    {
        var key = context.Request.Headers.TryGetValue(IdempotencyHeader, out var values) ? values.ToString() : null;
        var order = new MoneyOrder(request.Type, request.Rupees, request.ToAccountNumber, request.Narration, key, Channel.Api);
        if (request.Amount is { } raw && request.Rupees is null)
        {
            return Problems.Result(LedgerFailures.InvalidAmount(raw.ValueKind == JsonValueKind.Number
                ? "Is not a number of rupees this bank can hold."
                : "Must be a JSON number of rupees, for example 1500.50 (not text)."));
        }

        var result = await ledger.MoveAsync(context.ToActor(), order, ct);
        if (result.Failure is { } failure)
        {
            return Problems.Result(failure);
        }

        if (result.Value!.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var line = result.Value.Line;
        return TypedResults.Created($"/api/v1/transactions/{line.TransactionId}", line);
    }

    private static async Task<Results<Ok<Page<TransactionLine>>, ProblemHttpResult>> ListAsync(
        [AsParameters] TransactionFilter filter, HttpContext context, LedgerService ledger, CancellationToken ct)
    {
        var result = await ledger.ListAsync(context.ToActor(), filter.ToQuery(), ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(result.Value);
    }

    private static async Task<Results<Ok<TransactionDetails>, ProblemHttpResult>> GetAsync(
        string transactionId, HttpContext context, LedgerService ledger, CancellationToken ct)
    {
        var result = await ledger.GetAsync(context.ToActor(), transactionId, ct);
        return result.Failure is { } failure ? Problems.Result(failure) : TypedResults.Ok(result.Value);
    }

    private static async Task<IResult> ExportAsync(
        [AsParameters] TransactionFilter filter, HttpContext context, LedgerService ledger, CancellationToken ct)
    {
        var result = await ledger.ExportAsync(context.ToActor(), filter.ToQuery(), ct);
        if (result.Failure is { } failure)
        {
            return Problems.Result(failure);
        }

        var lines = result.Value!;
        var name = $"transactions-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await writer.WriteAsync(TransactionCsv.Header + "\r\n");
            await foreach (var line in lines.WithCancellation(ct))
            {
                await writer.WriteAsync(TransactionCsv.Row(line) + "\r\n");
            }
        }, "text/csv; charset=utf-8", name);
    }
}

/// <summary>The query string of the transactions list and export (API.md names).</summary>
public sealed record TransactionFilter(
    string? UserId, string? TransactionId, string? AccountNumber, string? Type, string? From, string? To,
    string? MinAmount, string? MaxAmount, string? Cursor, int? Limit)
{
    public TransactionQuery ToQuery() => new(UserId, TransactionId, AccountNumber, Type, From, To, MinAmount, MaxAmount, Cursor, Limit);
}

/// <summary>CSV of statement lines: RFC 4180 quoting, ISO 8601 UTC times, amounts with a dot and two decimals.</summary>
public static class TransactionCsv
{
    public const string Header = "transactionId,createdAt,type,direction,amount,balanceAfter,accountNumber,userId,counterpartyAccountNumber,narration,initiatedBy,channel";

    public static string Row(TransactionLine l) => string.Join(',',
        l.TransactionId,
        l.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        l.Type,
        l.Direction,
        l.Amount.ToString("0.00", CultureInfo.InvariantCulture),
        l.BalanceAfter.ToString("0.00", CultureInfo.InvariantCulture),
        l.AccountNumber,
        l.UserId ?? "",
        l.CounterpartyAccountNumber ?? "",
        Quote(l.Narration),
        l.InitiatedBy ?? "",
        l.Channel);

    /// <summary>Quotes a free-text field, and defuses a leading =, +, - or @ so that spreadsheets do not run it as a formula.</summary>
    private static string Quote(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
