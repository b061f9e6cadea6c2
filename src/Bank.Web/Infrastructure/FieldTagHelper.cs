using Bank.Web.Pages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Bank.Web.Infrastructure;

/// <summary>
/// Ties a form field to the page's errors, the one way every form shows them: <c>&lt;input bank-field="address.city"&gt;</c>
/// (with <c>bank-form="withdraw"</c> on a page with several forms) gets <c>aria-invalid="true"</c> and the id of its error
/// paragraph in <c>aria-describedby</c> (after any hint the markup names) when the field has an error, and nothing when it
/// has none, so that no field points at an element that is not there. The red style follows <c>aria-invalid</c>.
/// </summary>
[HtmlTargetElement("input", Attributes = FieldAttribute)]
[HtmlTargetElement("select", Attributes = FieldAttribute)]
[HtmlTargetElement("textarea", Attributes = FieldAttribute)]
public sealed class FieldTagHelper : TagHelper
{
    private const string FieldAttribute = "bank-field";

    /// <summary>The field's name in the API's terms (the key of its errors), for example <c>address.city</c>; several, separated by spaces, when one control answers for more than one.</summary>
    [HtmlAttributeName(FieldAttribute)]
    public string Field { get; set; } = "";

    /// <summary>The form the field belongs to, on a page with several.</summary>
    [HtmlAttributeName("bank-form")]
    public string? Form { get; set; }

    /// <summary>The page being rendered.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var page = ViewContext.ViewData.Model as BankPageModel;
        var failing = Field.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(f => page?.HasError(f, Form) == true).ToList();
        if (failing.Count == 0)
        {
            return;
        }

        output.Attributes.SetAttribute("aria-invalid", "true");
        var describedBy = output.Attributes.TryGetAttribute("aria-describedby", out var existing) ? existing.Value?.ToString() : null;
        output.Attributes.SetAttribute("aria-describedby", string.Join(' ', failing.Select(f => BankPageModel.ErrorId(f, Form)).Prepend(describedBy).Where(v => !string.IsNullOrWhiteSpace(v))));
    }
}
