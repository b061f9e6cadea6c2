using Microsoft.AspNetCore.Components;

namespace Bank.Core.Notifications.Templates;

/// <summary>Labelled values as a two-column table.</summary>
public partial class FactTable
{
    /// <summary>The rows.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<MailFact> Facts { get; set; } = [];
}
