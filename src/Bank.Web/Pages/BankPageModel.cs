using System.Text.Encodings.Web;
using Bank.Core;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages;

/// <summary>What every page shows of a service's answer: a message, and errors next to the fields they name.</summary>
public abstract class BankPageModel : PageModel
{
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    public string? ErrorMessage { get; set; }

    public string? SuccessMessage { get; set; }

    public string? ErrorFor(string field) => FieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public bool HasError(string field) => FieldErrors.ContainsKey(field);

    /// <summary>The error paragraph of a field (id <c>err-…</c>, which the input names in aria-describedby), or nothing.</summary>
    public IHtmlContent FieldError(string field) => ErrorFor(field) is { } message
        ? new HtmlString($"<p class=\"field-error\" id=\"{ErrorId(field)}\">{HtmlEncoder.Default.Encode(message)}</p>")
        : HtmlString.Empty;

    public static string ErrorId(string field) => "err-" + field.Replace('.', '-').Replace('[', '-').Replace("]", "", StringComparison.Ordinal);

    /// <summary>Shows a failure: field errors beside their fields, the message above the form.</summary>
    protected void Show(Failure failure)
    {
        FieldErrors = failure.FieldErrors ?? new Dictionary<string, string[]>();
        ErrorMessage = failure.FieldErrors is null ? failure.Message : "Please correct the fields marked below.";
        if (failure.Code == FailureCodes.Forbidden || failure.Code == FailureCodes.NotFound)
        {
            Response.StatusCode = failure.Code == FailureCodes.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
        }
    }

    protected void ShowFieldError(string field, string message)
    {
        var errors = FieldErrors.ToDictionary(e => e.Key, e => e.Value);
        errors[field] = [message];
        FieldErrors = errors;
        ErrorMessage ??= "Please correct the fields marked below.";
    }
}
