using System.Globalization;
using Bank.Core.Accounts;
using Bank.Core.Money;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using CsCheck;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// Model-based: random sequences of deposits, withdrawals, transfers (with valid and invalid amounts and targets,
/// and Idempotency-Keys that get reused), account freezes and closes, and owners made inactive, run against the
/// service and against a small in-memory model of the rules. Every answer must agree with the model (accepted or
/// refused, and with which code), and so must every balance; and the books verify after each sequence.
/// </summary>
public sealed class LedgerModelTests
{
    private const int Accounts = 4;

    /// <summary>Sequences per database: about 45 operations each, a few seconds in all.</summary>
    private const int Sequences = 20;

    [Theory, DatabaseData]
    public async Task Random_sequences_of_operations_agree_with_a_model_of_the_rules(TestBank bank)
    {
        await bank.AddCustomersAsync(Accounts);
        var ops = Operation(bank.Bank.PerTransactionLimitPaise).Array[30, 60];

        await ops.SampleAsync(sequence => RunAsync(bank, sequence), iter: Sequences, threads: 1,
            writeLine: TestContext.Current.TestOutputHelper is { } output ? output.WriteLine : null,
            print: sequence => string.Join("; ", sequence.Select((op, step) => $"{step}: {op}")));
    }

    private static async Task RunAsync(TestBank bank, Op[] sequence)
    {
        await bank.ResetAsync();
        var model = new BankModel(bank.Customers.Select(c => c.AccountNumber).ToArray(), bank.Bank.PerTransactionLimitPaise);
        var moves = new List<Move>();
        for (var step = 0; step < sequence.Length; step++)
        {
            var op = sequence[step] is Repeat repeat
                ? moves.Count == 0 ? null : moves[moves.Count - 1 - (repeat.Back % moves.Count)]
                : sequence[step];
            var where = $"step {step}: {op}";
            switch (op)
            {
                case Move move:
                    moves.Add(move);
                    await MoveAsync(bank, model, move, where);
                    break;
                case SetAccountStatus change:
                    var expected = model.ChangeStatus(change);
                    var changed = await bank.ChangeStatusAsync(bank.Administrator, bank.Customers[change.Account].AccountNumber, change.Status.ToString());
                    Assert.True(expected == changed.Failure?.Code, $"{where}: the model says {expected ?? "ok"}, the service {changed.Failure?.Code ?? "ok"}.");
                    break;
                case SetOwnerStatus owner:
                    model.OwnerActive[owner.Account] = owner.Status == UserStatus.Active;
                    await bank.SetUserStatusAsync(bank.Customers[owner.Account].UserId, owner.Status);
                    break;
            }
        }

        var balances = await bank.BalancesAsync();
        for (var i = 0; i < Accounts; i++)
        {
            Assert.True(model.Balances[i] == balances[model.Numbers[i]], $"account {i}: the model has {model.Balances[i]} paise, the database {balances[model.Numbers[i]]}.");
            Assert.Equal(model.Statuses[i], await bank.AccountStatusAsync(bank.Customers[i]));
        }

        await bank.AssertVerifiesAsync();
    }

    private static async Task MoveAsync(TestBank bank, BankModel model, Move move, string where)
    {
        var to = move.Type == "transfer" ? model.Target(move.To) : null;
        var expected = model.Expect(move, to);
        var actual = await bank.MoveAsync(bank.Customers[move.From], new MoneyOrder(move.Type, move.Amount, to, IdempotencyKey: move.Key));

        Assert.True(expected.Code == actual.Failure?.Code,
            $"{where}: the model says {expected.Code ?? "ok"}, the service {actual.Failure?.Code ?? "ok"} ({actual.Failure?.Message}).");
        if (actual.Value is not { } moved)
        {
            return;
        }

        Assert.True(expected.Replayed == moved.Replayed, $"{where}: replayed {moved.Replayed}, the model says {expected.Replayed}.");
        if (expected.Replayed)
        {
            Assert.Equal(expected.TransactionId, moved.Line.TransactionId);
            Assert.Equal(expected.BalanceAfter, moved.Line.BalanceAfter);
            return;
        }

        model.Apply(move, moved.Line.TransactionId);
        Assert.True(Rupees.FromPaise(model.Balances[move.From]) == moved.Line.BalanceAfter,
            $"{where}: the service says the balance is now {moved.Line.BalanceAfter}, the model {Rupees.FromPaise(model.Balances[move.From])}.");
    }

    private static Gen<Op> Operation(long limitPaise)
    {
        var account = Gen.Int[0, Accounts - 1];
        var amount = Gen.Frequency(
            (14, Gen.Long[1, 20_000].Select(p => (decimal?)Rupees.FromPaise(p))),
            (3, Gen.Long[20_000, 3_000_000].Select(p => (decimal?)Rupees.FromPaise(p))),
            (1, Gen.Long[limitPaise - 100, limitPaise].Select(p => (decimal?)Rupees.FromPaise(p))),
            (1, Gen.Long[limitPaise + 1, limitPaise * 10].Select(p => (decimal?)Rupees.FromPaise(p))),
            (1, Gen.Select(Gen.Long[0, 100_000], Gen.Int[1, 9], (p, d) => (decimal?)((p * 10 + d) / 1000m))),
            (1, Gen.OneOf<decimal?>(0m, -0.01m, -5m, null)));
        // A key from a small pool, so that keys get reused, for requests that are the same or not.
        var key = Gen.Frequency((2, Gen.Const((string?)null)), (1, Gen.OneOf<string?>("k1", "k2", "k3")));
        // Mostly another customer's account; now and then one's own, an unknown number or a mistyped one.
        var target = Gen.Frequency((12, Gen.Int[1, Accounts - 1]), (1, Gen.Const(0)), (1, Gen.Const(BankModel.UnknownAccount)), (1, Gen.Const(BankModel.WrongCheckDigit)));
        return Gen.Frequency(
            (7, Gen.Select(account, amount, key, (a, m, k) => (Op)new Move("credit", a, 0, m, k))),
            (4, Gen.Select(account, amount, key, (a, m, k) => (Op)new Move("debit", a, 0, m, k))),
            (9, Gen.Select(account, target, amount, key, (a, t, m, k) => (Op)new Move("transfer", a, t < 0 ? t : (a + t) % Accounts, m, k))),
            (3, Gen.Int[0, 10].Select(b => (Op)new Repeat(b))),
            (1, Gen.Select(account, Gen.OneOf(AccountStatus.Active, AccountStatus.Active, AccountStatus.Frozen, AccountStatus.Frozen, AccountStatus.Closed),
                (a, s) => (Op)new SetAccountStatus(a, s))),
            (1, Gen.Select(account, Gen.OneOf(UserStatus.Active, UserStatus.Active, UserStatus.Suspended), (a, s) => (Op)new SetOwnerStatus(a, s))));
    }

    internal abstract record Op;

    /// <summary>A movement ordered by customer <paramref name="From"/>; <paramref name="To"/> only for transfers.</summary>
    internal sealed record Move(string Type, int From, int To, decimal? Amount, string? Key) : Op
    {
        public override string ToString() => Type switch
        {
            "transfer" => $"{From} transfers {Amount?.ToString(CultureInfo.InvariantCulture) ?? "null"} to {To}" + (Key is null ? "" : $" key {Key}"),
            _ => $"{From} {Type} {Amount?.ToString(CultureInfo.InvariantCulture) ?? "null"}" + (Key is null ? "" : $" key {Key}"),
        };
    }

    /// <summary>Sends an earlier movement again, with its key: a retry.</summary>
    internal sealed record Repeat(int Back) : Op;

    internal sealed record SetAccountStatus(int Account, AccountStatus Status) : Op;

    internal sealed record SetOwnerStatus(int Account, UserStatus Status) : Op;

    internal sealed record Outcome(string? Code, bool Replayed = false, string? TransactionId = null, decimal? BalanceAfter = null);

    /// <summary>The rules, simply: balances in paise, statuses, and the answers stored for Idempotency-Keys.</summary>
    private sealed class BankModel(string[] numbers, long limitPaise)
    {
        public const int UnknownAccount = -1;
        public const int WrongCheckDigit = -2;

        private readonly Dictionary<(int Customer, string Key), (string Meaning, string TransactionId, decimal BalanceAfter)> _answers = [];

        public string[] Numbers { get; } = numbers;

        public long[] Balances { get; } = new long[numbers.Length];

        public AccountStatus[] Statuses { get; } = Enumerable.Repeat(AccountStatus.Active, numbers.Length).ToArray();

        public bool[] OwnerActive { get; } = Enumerable.Repeat(true, numbers.Length).ToArray();

        public string Target(int to) => to switch
        {
            UnknownAccount => TestBank.UnusedAccountNumber(),
            WrongCheckDigit => TestBank.WithWrongCheckDigit(Numbers[0]),
            _ => Numbers[to],
        };

        public Outcome Expect(Move move, string? to)
        {
            if (move.Amount is not { } rupees || rupees <= 0 || decimal.Round(rupees, 2) != rupees)
            {
                return new(FailureTypes.InvalidAmount.Code);
            }

            var paise = Paise(rupees);
            if (paise > limitPaise)
            {
                return new(FailureTypes.LimitExceeded.Code);
            }

            if (move.Type == "transfer" && move.To == WrongCheckDigit)
            {
                return new(FailureTypes.InvalidAccountNumber.Code);
            }

            if (move.Key is { } key && _answers.TryGetValue((move.From, key), out var answer))
            {
                return answer.Meaning == Meaning(move, to)
                    ? new(null, Replayed: true, answer.TransactionId, answer.BalanceAfter)
                    : new(FailureTypes.IdempotencyConflict.Code);
            }

            switch (move.Type)
            {
                case "credit":
                    return new(Refusal(move.From, 0, recipient: false));
                case "debit":
                    return new(Refusal(move.From, paise, recipient: false));
                default:
                    // The sender's own reasons first (the same account among them), whatever the order the accounts are
                    // locked in; then the recipient's, an unknown account's too.
                    return new(Refusal(move.From, paise, recipient: false, toOwnAccount: move.To == move.From)
                        ?? (move.To == UnknownAccount ? FailureTypes.UnknownAccount.Code : Refusal(move.To, 0, recipient: true)));
            }
        }

        public void Apply(Move move, string transactionId)
        {
            var paise = Paise(move.Amount!.Value);
            switch (move.Type)
            {
                case "credit":
                    Balances[move.From] += paise;
                    break;
                case "debit":
                    Balances[move.From] -= paise;
                    break;
                default:
                    Balances[move.From] -= paise;
                    Balances[move.To] += paise;
                    break;
            }

            if (move.Key is { } key)
            {
                _answers[(move.From, key)] = (Meaning(move, Target(move.To)), transactionId, Rupees.FromPaise(Balances[move.From]));
            }
        }

        /// <summary>An administrator sets an account's status: the failure code, or null when it is done (or was so already).</summary>
        public string? ChangeStatus(SetAccountStatus change)
        {
            var current = Statuses[change.Account];
            if (current == change.Status)
            {
                return null;
            }

            if (current == AccountStatus.Closed)
            {
                return FailureTypes.AccountClosed.Code;
            }

            if (change.Status == AccountStatus.Closed && Balances[change.Account] != 0)
            {
                return FailureTypes.AccountNotEmpty.Code;
            }

            Statuses[change.Account] = change.Status;
            return null;
        }

        private string? Refusal(int account, long needs, bool recipient, bool toOwnAccount = false) => Statuses[account] switch
        {
            _ when recipient && (Statuses[account] != AccountStatus.Active || !OwnerActive[account]) => FailureTypes.UnknownAccount.Code,
            AccountStatus.Closed => FailureTypes.AccountClosed.Code,
            AccountStatus.Frozen => FailureTypes.AccountFrozen.Code,
            _ when !OwnerActive[account] => FailureTypes.CustomerNotActive.Code,
            _ when toOwnAccount => FailureTypes.SameAccount.Code,
            _ when Balances[account] < needs => FailureTypes.InsufficientFunds.Code,
            _ => null,
        };

        private static long Paise(decimal rupees) => (long)(rupees * Rupees.PaisePerRupee);

        private static string Meaning(Move move, string? to) =>
            $"{move.Type}|{Paise(move.Amount!.Value)}|{(move.Type == "transfer" ? to : "")}";
    }
}
