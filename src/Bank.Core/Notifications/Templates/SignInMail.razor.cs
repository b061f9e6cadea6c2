using Microsoft.AspNetCore.Components;

namespace Bank.Core.Notifications.Templates;

/// <summary>The customer's sign-in mail.</summary>
public partial class SignInMail
{
    /// <summary>What it says.</summary>
    [Parameter, EditorRequired]
    public SignInMailModel Model { get; set; } = null!;
}
