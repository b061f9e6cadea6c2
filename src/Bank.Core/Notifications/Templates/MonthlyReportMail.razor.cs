using Microsoft.AspNetCore.Components;

namespace Bank.Core.Notifications.Templates;

/// <summary>The monthly login report mail.</summary>
public partial class MonthlyReportMail
{
    /// <summary>What it says.</summary>
    [Parameter, EditorRequired]
    public MonthlyReportMailModel Model { get; set; } = null!;
}
