using Bank.Core.Accounts;

namespace Bank.Web.Pages;

/// <summary>What the shared transactions table shows: the lines, and whether to name each line's account and owner (staff views).</summary>
public sealed record TransactionTable(string Id, IReadOnlyList<TransactionLine> Lines, bool ShowOwner);
