using System.ComponentModel.DataAnnotations;

namespace Bank.Core;

/// <summary>The bank's own settings (section <c>Bank</c>).</summary>
public sealed class BankOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Bank";

    /// <summary>IANA time zone for month boundaries, "today" and display.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Kolkata";

    /// <summary>Largest single transaction, in rupees.</summary>
    [Range(typeof(decimal), "0.01", "1000000000")]
    public decimal PerTransactionLimit { get; set; } = 1_000_000.00m;

    /// <summary>
    /// How many transfer reviews (each looks up a payee's name) one customer may make in an hour; the review that would
    /// exceed it is refused, so that nobody reads the customers' names off sequential account numbers.
    /// </summary>
    [Range(1, 100_000)]
    public int TransferReviewsPerHour { get; set; } = 30;

    /// <summary>Minimum age of a customer (and of staff) at creation.</summary>
    [Range(0, 120)]
    public int MinimumCustomerAge { get; set; } = 18;

    /// <summary>The branch new accounts are opened at.</summary>
    [Required]
    public string Branch { get; set; } = "Main Branch";

    /// <summary>
    /// The time zone named by <see cref="TimeZone"/>. The name is checked at start (<see cref="Validate"/>), so UTC stands in
    /// only while the validation itself reads this property.
    /// </summary>
    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? "", out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary><see cref="PerTransactionLimit"/> in paise.</summary>
    public long PerTransactionLimitPaise => (long)(PerTransactionLimit * Money.Rupees.PaisePerRupee);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? "", out _))
        {
            yield return new ValidationResult($"Bank:TimeZone '{TimeZone}' is not a known time zone (for example Asia/Kolkata).", [nameof(TimeZone)]);
        }
    }
}
