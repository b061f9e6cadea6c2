using System.ComponentModel.DataAnnotations;

namespace Bank.Core;

/// <summary>The bank's own settings (section <c>Bank</c>).</summary>
public sealed class BankOptions
{
    public const string Section = "Bank";

    /// <summary>IANA time zone for month boundaries, "today" and display.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Kolkata";

    /// <summary>Largest single transaction, in rupees.</summary>
    [Range(typeof(decimal), "0.01", "1000000000")]
    public decimal PerTransactionLimit { get; set; } = 1_000_000.00m;

    /// <summary>Minimum age of a customer (and of staff) at creation.</summary>
    [Range(0, 120)]
    public int MinimumCustomerAge { get; set; } = 18;

    /// <summary>The branch new accounts are opened at.</summary>
    [Required]
    public string Branch { get; set; } = "Main Branch";

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
