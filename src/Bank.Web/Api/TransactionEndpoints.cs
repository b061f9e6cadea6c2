using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Reports;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bank.Web.Api;

/// <summary>The body of POST /transactions. The amount stays a raw JSON value so that "not a number" gets the invalid-amount answer.</summary>
public sealed record MoneyRequest(string? Type, JsonElement? Amount, string? ToAccountNumber, string? Narration)
{
    /// <summary>The amount as rupees, or null when it is missing or not a JSON number (Core answers invalid-amount).</summary>
    [JsonIgnore]
    public decimal? Rupees => Amount is { ValueKind: JsonValueKind.Number } number && number.TryGetDecimal(out var value) ? value : null;
}

/// <summary>Money movements, statements and searches, one transaction, CSV export (SPEC §4–5).</summary>
public static class TransactionEndpoints
{
    /// <summary>The header that makes a retry safe.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Maps <c>/transactions</c>.</summary>
    public static RouteGroupBuilder MapTransactionEndpoints(this RouteGroupBuilder api)
    {
        var transactions = api.MapGroup("/transactions").WithTags("Transactions");
        transactions.MapPost("/", MoveAsync).RequireAuthorization(Policies.Customer)
            .Fails(FailureTypes.InvalidAmount, FailureTypes.InvalidAccountNumber, FailureTypes.NotFound, FailureTypes.CustomerNotActive,
                FailureTypes.AccountFrozen, FailureTypes.AccountClosed, FailureTypes.Conflict, FailureTypes.LimitExceeded, FailureTypes.InsufficientFunds,
                FailureTypes.UnknownAccount, FailureTypes.SameAccount, FailureTypes.IdempotencyConflict)
            .AddOpenApiOperationTransformer(DescribeIdempotency)
            .WithSummary("Deposit (credit), withdraw (debit) or transfer from your own account. Send an Idempotency-Key header to make retries safe.");
        transactions.MapGet("/", ([AsParameters] TransactionQuery query, Actor actor, Statements statements, CancellationToken ct) =>
                statements.ListAsync(actor, query, ct).ToOkAsync())
            .WithSummary("Statement lines, newest first, keyset-paged: staff see every customer's, a customer their own.");
        transactions.MapGet("/export", ExportAsync).ReturnsFile("text/csv", "The statement lines as CSV (RFC 4180), every page.")
            .WithSummary("The current filter as CSV (all pages).");
        transactions.MapGet("/{transactionId}", (string transactionId, Actor actor, Statements statements, CancellationToken ct) =>
                statements.GetAsync(actor, transactionId, ct).ToOkAsync())
            .Fails(FailureTypes.NotFound)
            .WithSummary("One transaction; a customer sees only their own.");
        return api;
    }

    private static async Task<Results<Created<TransactionLine>, ProblemHttpResult>> MoveAsync(
        MoneyRequest request, [FromHeader(Name = IdempotencyHeader)] string? key, Actor actor, HttpContext context, LedgerService ledger, CancellationToken ct)
    {
        if (request.Amount is { } raw && request.Rupees is null)
        {
            return Problems.Result(LedgerFailures.InvalidAmount(raw.ValueKind == JsonValueKind.Number
                ? "Is not a number of rupees this bank can hold."
                : "Must be a JSON number of rupees, for example 1500.50 (not text)."));
        }

        var order = new MoneyOrder(request.Type, request.Rupees, request.ToAccountNumber, request.Narration, key, Channel.Api);
        var result = await ledger.MoveAsync(actor, order, ct);
        if (result.TryGet(out var moved, out _) && moved.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return result.ToHttp(m => TypedResults.Created($"/api/v1/transactions/{m.Line.TransactionId}", m.Line));
    }

    /// <summary>The Idempotency-Key header as the ledger reads it, and the header of a replayed answer.</summary>
    private static Task DescribeIdempotency(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var key = operation.Parameters!.OfType<OpenApiParameter>().Single(p => p.Name == IdempotencyHeader);
        key.Description = "Optional. Makes a retry safe: the same key (per user) with the same request answers the stored transaction "
            + "(201, header Idempotent-Replayed: true); with another request, 422 idempotency-conflict. A UUID is a good choice.";
        key.Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MinLength = 1,
            MaxLength = IdempotencyRecord.KeyMaxLength,
            Pattern = "^[!-~]+$",
            Description = $"1 to {IdempotencyRecord.KeyMaxLength} visible ASCII characters.",
        };
        ((OpenApiResponse)operation.Responses!["201"]).Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Idempotent-Replayed"] = new OpenApiHeader
            {
                Description = "`true` when the answer is the stored transaction of an earlier request with the same Idempotency-Key.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
            },
        };
        return Task.CompletedTask;
    }

    private static async Task<IResult> ExportAsync(
        [AsParameters] TransactionQuery query, Actor actor, Statements statements, BankCalendar calendar, CancellationToken ct)
    {
        var result = await statements.ExportAsync(actor, query, ct);
        // Named by the bank's local date and time, as its times are written.
        var name = $"transactions-{calendar.FileStamp(calendar.Now)}.csv";
        return result.Match(lines => Csv.File(name, TransactionCsv.Header, lines, l => TransactionCsv.Row(l, calendar), ct), Problems.Result);
    }
}

/// <summary>CSV of statement lines: RFC 4180 quoting, ISO 8601 times in the bank's time zone, amounts with a dot and two decimals.</summary>
public static class TransactionCsv
{
    /// <summary>The header row (the API's field names).</summary>
    public const string Header = "transactionId,createdAt,type,direction,amount,balanceAfter,accountNumber,userId,counterpartyAccountNumber,narration,initiatedBy,channel";

    /// <summary>One line as a CSV row.</summary>
    public static string Row(TransactionLine l, BankCalendar calendar) => string.Join(',',
        l.TransactionId,
        CsvFields.Time(l.CreatedAt, calendar),
        l.Type.Name(),
        l.Direction.Name(),
        l.Amount.ToString("0.00", CultureInfo.InvariantCulture),
        l.BalanceAfter.ToString("0.00", CultureInfo.InvariantCulture),
        l.AccountNumber,
        l.UserId ?? "",
        l.CounterpartyAccountNumber ?? "",
        CsvFields.Text(l.Narration),
        l.InitiatedBy ?? "",
        l.Channel.Name());
}
