using System.Globalization;
using Bank.Core.Data;
using Bank.Core.Users;

namespace Bank.Core.Accounts;

/// <summary>
/// The ledger's hand-written statements, the same on both databases (but for the PostgreSQL-only choice of a free cash
/// account, <see cref="ApplyToCash"/>), run inside the movement's transaction. They rely on <see cref="AccountMapping"/>,
/// <see cref="LedgerTransactionMapping"/> and <see cref="IdempotencyRecordMapping"/> (snake_case columns, enums stored by name).
/// </summary>
internal static class LedgerSql
{
    private static readonly string Active = nameof(AccountStatus.Active);

    /// <summary>What every posting does to its account's row.</summary>
    private const string AddDelta = "UPDATE accounts SET balance_paise = balance_paise + @delta, last_transaction_at = @now ";

    /// <summary>What a posting to the bank's cash answers: which account took it, its number and its new balance.</summary>
    private const string CashAnswer = "RETURNING id, account_number, balance_paise";

    /// <summary>
    /// Adds a signed amount to one account and returns its new balance, or nothing when a condition does not hold. The bank's own
    /// accounts take any amount; a customer account must be Active, its owner Active, and its balance must not go below zero.
    /// </summary>
    private static readonly string ApplyText =
        AddDelta +
        $"WHERE id = @id AND (kind <> '{nameof(AccountKind.Customer)}' OR (balance_paise + @delta >= 0 AND status = '{Active}' " +
        $"AND EXISTS (SELECT 1 FROM users WHERE users.id = accounts.user_id AND users.status = '{nameof(UserStatus.Active)}'))) " +
        "RETURNING balance_paise";

    /// <summary>
    /// PostgreSQL: adds a signed amount to the preferred cash account or, while another movement holds that row's lock, to
    /// any cash account that is free (<c>SKIP LOCKED</c>), and returns which one and its new balance; no row when all are held.
    /// </summary>
    private static readonly string ApplyToFreeCashText =
        AddDelta +
        $"WHERE id = (SELECT id FROM accounts WHERE user_id IS NULL AND kind = '{nameof(AccountKind.InternalCash)}' " +
        "ORDER BY id = @id DESC, random() LIMIT 1 FOR UPDATE SKIP LOCKED) " + CashAnswer;

    /// <summary>The bank's preferred cash account, as <see cref="ApplyToFreeCashText"/> answers (SQLite: no row locks, no choice).</summary>
    private const string ApplyToPreferredCashText = AddDelta + "WHERE id = @id " + CashAnswer;

    private const string InsertTransactionText =
        "INSERT INTO ledger_transactions (transaction_id, type, amount_paise, narration, initiated_by_user_id, channel, created_at) " +
        "VALUES (@transaction, @type, @amount, @narration, @initiator, @channel, @now) RETURNING id";

    /// <summary>
    /// Records an Idempotency-Key first in the movement's transaction. A second request with the key waits here until the
    /// first commits (PostgreSQL) or runs after it (SQLite), inserts nothing, and returns false.
    /// </summary>
    public static async Task<bool> ClaimKeyAsync(BankDbContext db, UserId user, string key, string requestHash, string transactionId, DateTimeOffset now, CancellationToken ct) =>
        await Sql.Int64OrNullAsync(db,
            "INSERT INTO idempotency_records (user_id, \"key\", request_hash, transaction_id, created_at) " +
            "VALUES (@user, @key, @hash, @transaction, @now) ON CONFLICT DO NOTHING RETURNING user_id",
            ct, ("@user", user.Value), ("@key", key), ("@hash", requestHash), ("@transaction", transactionId), ("@now", Sql.Timestamp(db, now))) is not null;

    /// <summary>
    /// Adds a signed amount to one account; its one row holds the new balance, or there is no row when the account refuses
    /// it (see <see cref="ApplyText"/>).
    /// </summary>
    public static Statement Apply(BankDbContext db, long accountId, long deltaPaise, DateTimeOffset now) =>
        Posting(db, ApplyText, accountId, deltaPaise, now);

    /// <summary>
    /// Posts the bank's side of a deposit or withdrawal to a cash account (they take any amount); its one row holds which
    /// account took it and its new balance. On PostgreSQL a movement does not wait for another's cash row: the preferred
    /// account when it is free, else any free one; no row when all are held (then <see cref="ApplyToHeldCashAsync"/>).
    /// SQLite has one writer and no row locks: the preferred one.
    /// </summary>
    public static Statement ApplyToCash(BankDbContext db, long preferredId, long deltaPaise, DateTimeOffset now) =>
        Posting(db, db.Provider == DatabaseProvider.Postgres ? ApplyToFreeCashText : ApplyToPreferredCashText, preferredId, deltaPaise, now);

    /// <summary>PostgreSQL, when every cash account is held by another movement: the preferred one, after its lock.</summary>
    public static async Task<(long AccountId, string AccountNumber, long Balance)> ApplyToHeldCashAsync(
        BankDbContext db, long preferredId, long deltaPaise, DateTimeOffset now, CancellationToken ct)
    {
        var rows = (await Sql.BatchAsync(db, [Posting(db, ApplyToPreferredCashText, preferredId, deltaPaise, now)], ct))[0];
        return rows is [var row] ? CashRow(row) : throw new InvalidOperationException("The bank's cash account is missing.");
    }

    /// <summary>A row of <see cref="ApplyToCash"/>: the account that took the amount, its number and its new balance.</summary>
    public static (long AccountId, string AccountNumber, long Balance) CashRow(object[] row) =>
        (Convert.ToInt64(row[0], CultureInfo.InvariantCulture), (string)row[1], Convert.ToInt64(row[2], CultureInfo.InvariantCulture));

    private static Statement Posting(BankDbContext db, string text, long accountId, long deltaPaise, DateTimeOffset now) =>
        new(text, ("@delta", deltaPaise), ("@now", Sql.Timestamp(db, now)), ("@id", accountId));

    /// <summary>The transaction's record; its one row holds the record's id, for the entries.</summary>
    public static Statement InsertTransaction(BankDbContext db, string transactionId, TransactionType type, long amountPaise, string? narration, long initiatorId, Channel channel, DateTimeOffset now) =>
        new(InsertTransactionText, ("@transaction", transactionId), ("@type", type.ToString()), ("@amount", amountPaise), ("@narration", narration),
            ("@initiator", initiatorId), ("@channel", channel.ToString()), ("@now", Sql.Timestamp(db, now)));
}
