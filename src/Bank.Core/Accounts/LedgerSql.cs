using Bank.Core.Data;
using Bank.Core.Users;

namespace Bank.Core.Accounts;

/// <summary>
/// The ledger's hand-written statements, the same on both databases (but for the PostgreSQL-only choice of a free cash
/// account, <see cref="ApplyToCashAsync"/>), run inside the movement's transaction. They rely on
/// <see cref="AccountMapping"/> and <see cref="IdempotencyRecordMapping"/> (snake_case columns, enums stored by name).
/// </summary>
internal static class LedgerSql
{
    private static readonly string Active = nameof(AccountStatus.Active);

    /// <summary>
    /// Adds a signed amount to one account and returns its new balance, or nothing when a condition does not hold. The bank's own
    /// accounts take any amount; a customer account must be Active, its owner Active, and its balance must not go below zero.
    /// </summary>
    private static readonly string ApplyText =
        "UPDATE accounts SET balance_paise = balance_paise + @delta, last_transaction_at = @now " +
        $"WHERE id = @id AND (kind <> '{nameof(AccountKind.Customer)}' OR (balance_paise + @delta >= 0 AND status = '{Active}' " +
        $"AND EXISTS (SELECT 1 FROM users WHERE users.id = accounts.user_id AND users.status = '{nameof(UserStatus.Active)}'))) " +
        "RETURNING balance_paise";

    /// <summary>
    /// PostgreSQL: adds a signed amount to the preferred cash account or, while another movement holds that row's lock, to
    /// any cash account that is free (<c>SKIP LOCKED</c>), and returns which one and its new balance; no row when all are held.
    /// </summary>
    private static readonly string ApplyToFreeCashText =
        "UPDATE accounts SET balance_paise = balance_paise + @delta, last_transaction_at = @now " +
        $"WHERE id = (SELECT id FROM accounts WHERE user_id IS NULL AND kind = '{nameof(AccountKind.InternalCash)}' " +
        "ORDER BY id = @id DESC, random() LIMIT 1 FOR UPDATE SKIP LOCKED) " +
        "RETURNING id, account_number, balance_paise";

    /// <summary>
    /// Records an Idempotency-Key first in the movement's transaction. A second request with the key waits here until the
    /// first commits (PostgreSQL) or runs after it (SQLite), inserts nothing, and returns false.
    /// </summary>
    public static async Task<bool> ClaimKeyAsync(BankDbContext db, UserId user, string key, string requestHash, string transactionId, DateTimeOffset now, CancellationToken ct) =>
        await Sql.Int64OrNullAsync(db,
            "INSERT INTO idempotency_records (user_id, \"key\", request_hash, transaction_id, created_at) " +
            "VALUES (@user, @key, @hash, @transaction, @now) ON CONFLICT DO NOTHING RETURNING user_id",
            ct, ("@user", user.Value), ("@key", key), ("@hash", requestHash), ("@transaction", transactionId), ("@now", Sql.Timestamp(db, now))) is not null;

    /// <summary>The account's balance after adding <paramref name="deltaPaise"/>, or null when the account refuses it (see <see cref="ApplyText"/>).</summary>
    public static Task<long?> ApplyAsync(BankDbContext db, long accountId, long deltaPaise, DateTimeOffset now, CancellationToken ct) =>
        Sql.Int64OrNullAsync(db, ApplyText, ct, ("@delta", deltaPaise), ("@now", Sql.Timestamp(db, now)), ("@id", accountId));

    /// <summary>
    /// Posts the bank's side of a deposit or withdrawal to a cash account (they take any amount) and returns which one and
    /// its new balance. On PostgreSQL a movement does not wait for another's cash row: the preferred account when it is
    /// free, else any free one, else (all held) the preferred one after its lock. SQLite has one writer and no row locks.
    /// </summary>
    public static async Task<(long AccountId, string AccountNumber, long Balance)> ApplyToCashAsync(
        BankDbContext db, long preferredId, string preferredNumber, long deltaPaise, DateTimeOffset now, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            var free = await Sql.RowsAsync(db, ApplyToFreeCashText, r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2)), ct,
                ("@delta", deltaPaise), ("@now", Sql.Timestamp(db, now)), ("@id", preferredId));
            if (free.Count == 1)
            {
                return free[0];
            }
        }

        return (preferredId, preferredNumber, await ApplyAsync(db, preferredId, deltaPaise, now, ct)
            ?? throw new InvalidOperationException("The bank's cash account is missing."));
    }
}
