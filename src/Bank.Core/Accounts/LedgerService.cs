using System.Data.Common;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bank.Core.Accounts;

/// <summary>
/// Credit, debit and transfer (SPEC §4). Each movement is one database transaction made of conditional updates
/// (<see cref="LedgerSql"/>; never read-modify-write in C#), the transaction record, its entries (summing to zero) and,
/// when the caller sent one, the idempotency key (<see cref="LedgerMove"/>). Customer accounts are updated in id order and
/// the bank's cash account last, so two movements never wait for each other in a circle. Refusals come in the order of
/// <see cref="MovementRules"/>, as at the transfer's review.
/// </summary>
public sealed class LedgerService(
    BankDbContext db,
    WriteGate gate,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<BankOptions> bank,
    IBalanceUpdates balanceUpdates,
    BankMetrics metrics,
    ILogger<LedgerService> logger)
{
    private const int MaxAttempts = 3;

    /// <summary>Moves money for the signed-in customer: deposit (credit), withdrawal (debit) or transfer to another customer.</summary>
    public async Task<Result<MoneyMoved>> MoveAsync(Actor actor, MoneyOrder order, CancellationToken ct)
    {
        if (MovementRules.MayMove(actor) is { } forbidden)
        {
            return forbidden;
        }

        if (!MovementRules.Check(order, bank.Value.PerTransactionLimitPaise).TryGet(out var valid, out var invalid))
        {
            return invalid;
        }

        // A repeated Idempotency-Key is found by the movement itself, which claims the key first in its transaction (one
        // round trip fewer for every new key than looking first): the claim fails, nothing moves, and the earlier answer is read.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // On SQLite the movement joins the group commit: the gate hands it the group's context, and it writes there.
                var result = await gate.WriteGroupedAsync(db,
                    (unit, token) => new LedgerMove(unit, audit.For(unit), clock).RunAsync(actor, valid, token), ct);
                if (result.TryGet(out var movement, out var refused))
                {
                    metrics.MoneyMoved(valid.Type);
                    await PublishAsync(movement.Updates);
                    return Result.Ok(new MoneyMoved(movement.Line, Replayed: false));
                }

                if (refused.Type == LedgerMove.KeyTaken)
                {
                    // A request with this key committed first (just now, or long ago): answer as it did; this one moved nothing.
                    return await ReplayAsync(actor.UserId, valid, ct) ?? LedgerFailures.IdempotencyConflict();
                }

                if (refused.Type != LedgerMove.StateChanged)
                {
                    return refused;
                }

                if (attempt >= MaxAttempts)
                {
                    return LedgerFailures.ChangedMeanwhile("The account kept changing while this ran; nothing moved. Please try again.");
                }
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException && DbErrors.IsUniqueViolation(ex, out _) && attempt < MaxAttempts)
            {
                // A transaction id collided (about 1 in 2^62): draw a new one.
            }
        }
    }

    /// <summary>The stored answer for a repeated Idempotency-Key, a conflict when the key came with another request, or null when the key is new.</summary>
    private async Task<Result<MoneyMoved>?> ReplayAsync(UserId userId, ValidOrder order, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .Where(r => r.UserId == userId.Value && r.Key == order.Key)
            .Select(r => new { r.RequestHash, r.TransactionId })
            .FirstOrDefaultAsync(ct);
        if (record is null)
        {
            return null;
        }

        if (record.RequestHash != order.Hash)
        {
            return LedgerFailures.IdempotencyConflict();
        }

        var row = await LineRow.Query(db, db.LedgerEntries.Where(e => e.UserId == userId.Value
                && e.LedgerTransactionId == db.LedgerTransactions.Where(t => t.TransactionId == record.TransactionId).Select(t => t.Id).FirstOrDefault()))
            .FirstAsync(ct);
        return Result.Ok(new MoneyMoved(row.ToLine(staffView: false), Replayed: true));
    }

    private async Task PublishAsync(IReadOnlyList<BalanceUpdate> updates)
    {
        try
        {
            // The money has moved and is committed; a listener's trouble must not turn that into an error.
            await balanceUpdates.PublishAsync(updates, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LedgerLog.PublishFailed(logger, ex);
        }
    }
}

/// <summary>The ledger's log messages (generated; kept apart so that the service itself needs no partial class).</summary>
internal static partial class LedgerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a balance update; open pages will catch up on their next load.")]
    public static partial void PublishFailed(ILogger logger, Exception ex);
}
