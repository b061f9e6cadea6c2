using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Accounts;

/// <summary>What a payer checks before a transfer moves: both accounts, the payee's name (masked), the amount and the note.</summary>
/// <param name="FromAccountNumber">The payer's own account.</param>
/// <param name="ToAccountNumber">The receiving account.</param>
/// <param name="PayeeName">The receiving customer as registered, masked ("Ravi K.", <see cref="PayeeName"/>).</param>
/// <param name="Amount">Rupees.</param>
/// <param name="Narration">The payer's note, trimmed; null when there is none.</param>
public sealed record TransferReview(string FromAccountNumber, string ToAccountNumber, string PayeeName, decimal Amount, string? Narration);

/// <summary>
/// The review step of a transfer: nothing moves, nothing changes but one audit entry. It refuses as the move would, in
/// the order of <see cref="MovementRules"/>: the payer's own side first (those refusals say nothing about the payee),
/// then the count of reviews, and only then the payee's account.
/// </summary>
public sealed class TransferReviews(BankDbContext db, WriteGate gate, AuditTrail audit, TimeProvider clock, IOptions<BankOptions> bank)
{
    /// <summary>
    /// Checks a transfer as <see cref="LedgerService.MoveAsync"/> would, without moving anything, and names its payee: the
    /// same refusals (a receiving account that cannot receive gets the one <c>unknown-account</c> answer, whatever the
    /// reason). Each review that reaches the payee's account is audited (<see cref="AuditActions.TransferReviewed"/>) and
    /// counted: at most <see cref="BankOptions.TransferReviewsPerHour"/> a customer, so that names are not read off
    /// sequential account numbers.
    /// </summary>
    public async Task<Result<TransferReview>> ReviewAsync(Actor actor, MoneyOrder order, CancellationToken ct)
    {
        if (MovementRules.MayMove(actor) is { } forbidden)
        {
            return forbidden;
        }

        var transfer = order with { Type = TransactionType.Transfer.Name(), IdempotencyKey = null };
        if (!MovementRules.Check(transfer, bank.Value.PerTransactionLimitPaise).TryGet(out var valid, out var invalid))
        {
            return invalid;
        }

        var me = actor.UserId.Value;
        var own = await db.Accounts.AsNoTracking()
            .Where(a => a.UserId == me && a.Kind == AccountKind.Customer)
            .Select(a => new { a.AccountNumber, a.Status, a.BalancePaise, Owner = db.Users.Where(u => u.Id == a.UserId).Select(u => u.Status).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (own is null)
        {
            return LedgerFailures.NoAccount();
        }

        if (MovementRules.Own(new AccountState(own.Status, own.Owner, own.BalancePaise), -valid.AmountPaise,
                toOwnAccount: own.AccountNumber == valid.ToAccountNumber) is { } ownRefusal)
        {
            return ownRefusal;
        }

        var limit = bank.Value.TransferReviewsPerHour;
        var since = clock.GetUtcNow().AddHours(-1);
        var recent = await db.AuditEvents.CountAsync(e => e.ActorUserId == me && e.Action == AuditActions.TransferReviewed && e.At >= since, ct);
        if (recent >= limit)
        {
            return LedgerFailures.TooManyReviews(limit);
        }

        // One query for every case: unknown, not a customer's, frozen, closed and owner not Active all come back empty.
        var payee = await db.Accounts.AsNoTracking()
            .Where(a => a.AccountNumber == valid.ToAccountNumber && a.Kind == AccountKind.Customer && a.Status == AccountStatus.Active)
            .Join(db.Users.Where(u => u.Status == UserStatus.Active), a => a.UserId, u => (long?)u.Id, (a, u) => new { u.Id, u.FirstName, u.LastName })
            .FirstOrDefaultAsync(ct);
        await gate.WriteAsync(db, _ =>
        {
            audit.Record(actor, AuditActions.TransferReviewed, payee?.Id,
                $"{valid.ToAccountNumber} {Rupees.Plain(valid.AmountPaise)}: " + (payee is null ? "cannot receive" : "payee shown"));
            return Task.FromResult(Result.Done);
        }, ct);
        if (MovementRules.Payee(canReceive: payee is not null) is { } cannotReceive)
        {
            return cannotReceive;
        }

        return new TransferReview(own.AccountNumber, valid.ToAccountNumber!, PayeeName.Masked(payee!.FirstName, payee.LastName),
            Rupees.FromPaise(valid.AmountPaise), valid.Narration);
    }
}
