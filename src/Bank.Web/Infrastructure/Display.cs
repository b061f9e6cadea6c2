using System.Globalization;
using Bank.Core;
using Microsoft.Extensions.Options;

namespace Bank.Web.Infrastructure;

/// <summary>How pages show times (bank time zone), dates and rupees (en-IN grouping).</summary>
public sealed class Display(IOptions<BankOptions> bank)
{
    public static readonly CultureInfo India = CultureInfo.GetCultureInfo("en-IN");

    private readonly TimeZoneInfo _zone = bank.Value.Zone;

    public string Time(DateTimeOffset? at)
    {
        if (at is not { } value)
        {
            return "—";
        }

        var local = TimeZoneInfo.ConvertTime(value, _zone);
        var suffix = _zone.Id is "Asia/Kolkata" or "Asia/Calcutta" or "India Standard Time" ? "IST" : _zone.Id;
        return $"{local.ToString("d MMM yyyy, HH:mm", India)} {suffix}";
    }

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", India);

    public static string Rupees(decimal amount) => Bank.Core.Money.Money.Format(amount);

    /// <summary>A statement line's kind in words: Deposit, Withdrawal, Transfer in, Transfer out.</summary>
    public static string TransactionType(string type, string direction) => type switch
    {
        "credit" => "Deposit",
        "debit" => "Withdrawal",
        _ => direction == "in" ? "Transfer in" : "Transfer out",
    };
}
