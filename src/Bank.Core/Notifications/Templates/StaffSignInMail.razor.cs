using Microsoft.AspNetCore.Components;

namespace Bank.Core.Notifications.Templates;

/// <summary>The staff sign-in alert.</summary>
public partial class StaffSignInMail
{
    /// <summary>What it says.</summary>
    [Parameter, EditorRequired]
    public StaffSignInMailModel Model { get; set; } = null!;
}
