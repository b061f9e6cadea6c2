using Bank.Core.Accounts;
using Bank.Core.Users;

namespace Bank.Core.Demo;

/// <summary>How much demo bank to make: customers, months of history up to now, and the seed that makes it repeatable.</summary>
public sealed record DemoRequest(int Customers = DemoRequest.DefaultCustomers, int Months = DemoRequest.DefaultMonths, int Seed = DemoRequest.DefaultSeed)
{
    /// <summary>Customers when none are asked for.</summary>
    public const int DefaultCustomers = 1_000;

    /// <summary>Months of history when none are asked for.</summary>
    public const int DefaultMonths = 6;

    /// <summary>The seed when none is given: the same demo bank every time.</summary>
    public const int DefaultSeed = 56125810;

    /// <summary>The most customers one run makes.</summary>
    public const int MaxCustomers = 1_000_000;

    /// <summary>The longest history one run makes.</summary>
    public const int MaxMonths = 36;

    /// <summary>What is wrong with the request, or null when it can run.</summary>
    public string? Problem() =>
        Customers is < 1 or > MaxCustomers ? $"--customers must be between 1 and {MaxCustomers:N0}."
        : Months is < 1 or > MaxMonths ? $"--months must be between 1 and {MaxMonths}."
        : null;
}

/// <summary>The stages of a demo load, in the order their progress starts.</summary>
public enum DemoPhase
{
    /// <summary>Staff and customers: users, phones, password history.</summary>
    People,

    /// <summary>The customers' accounts (written with their owners).</summary>
    Accounts,

    /// <summary>Deposits, withdrawals and transfers with their ledger entries and balances.</summary>
    Transactions,

    /// <summary>Sign-in attempts and each user's last sign-in (written with the movements of the same hours).</summary>
    SignIns,

    /// <summary>The indexes a load into a new bank builds at its end, fresh planner statistics for the new rows, then the ledger check.</summary>
    Verify,
}

/// <summary>How far one phase has come: a fraction from 0 to 1 and the rows it has written so far.</summary>
public readonly record struct DemoProgress(DemoPhase Phase, double Fraction, long Rows);

/// <summary>One demo user a new visitor can sign in as, with the demo password of their role.</summary>
public sealed record DemoUser(Role Role, string UserId, string Name, string Password, string? AccountNumber, decimal? Balance, int Transactions);

/// <summary>What a demo load made, the users to try, and the ledger check that followed it.</summary>
public sealed record DemoReport(
    DemoRequest Request,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyDictionary<Role, int> UsersByRole,
    long Transactions,
    long Entries,
    long SignIns,
    IReadOnlyList<DemoUser> Users,
    LedgerReport Ledger)
{
    /// <summary>Every user the load made.</summary>
    public int TotalUsers => UsersByRole.Values.Sum();
}
