using Bank.Core.Accounts;
using Bank.Web.Infrastructure;

namespace Bank.Web.Pages;

/// <summary>What the shared transactions table shows: the lines, and whether to name each line's account and owner (staff views).</summary>
/// <param name="Id">The table's id (live-balance.js finds <c>recent</c> by it).</param>
/// <param name="Lines">The lines, newest first.</param>
/// <param name="ShowOwner">Whether each line names its account and owner (staff views).</param>
/// <param name="Label">
/// The name of the table's scrolling box (a region that takes the keyboard focus, so that a table wider than a phone can be
/// scrolled without a mouse).
/// </param>
public sealed record TransactionTable(string Id, IReadOnlyList<TransactionLine> Lines, bool ShowOwner, string Label = "Transactions")
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
