using Microsoft.AspNetCore.Components;

namespace Bank.Core.Notifications.Templates;

/// <summary>The frame of every mail (heading, message, footer).</summary>
public partial class MailFrame
{
    /// <summary>The heading, also the HTML title.</summary>
    [Parameter, EditorRequired]
    public string Title { get; set; } = "";

    /// <summary>The message.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }
}
