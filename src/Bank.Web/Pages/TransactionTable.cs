using Bank.Core.Accounts;
using Bank.Web.Infrastructure;

namespace Bank.Web.Pages;

/// <summary>What the shared transactions table shows: the lines, and whether to name each line's account and owner (staff views).</summary>
public sealed record TransactionTable(string Id, IReadOnlyList<TransactionLine> Lines, bool ShowOwner)
{
    /// <summary>
    /// What a line was: "Transfer to Ravi K." or "Transfer from Asha S." for a transfer (the other party's name as the viewer
    /// may see it, masked for customers, full for staff), else the type ("Deposit", "Withdrawal"). live-balance.js says the same.
    /// </summary>
    public static string Describe(TransactionLine line) =>
        line.Type == TransactionType.Transfer && line.CounterpartyName is { } name
            ? $"Transfer {(line.Direction == Direction.In ? "from" : "to")} {name}"
            : Display.TransactionType(line.Type, line.Direction);
}
