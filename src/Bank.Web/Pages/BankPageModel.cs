using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using Bank.Core;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages;

/// <summary>What every page shows of a service's answer: a message, and errors next to the fields they name.</summary>
public abstract class BankPageModel : PageModel
{
    /// <summary>Errors by field name (the API's names, for example <c>address.city</c>).</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The message above the form, when something was refused.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>The message above the page, when something succeeded.</summary>
    public string? SuccessMessage { get; set; }

    /// <summary>
    /// The form of the page that was sent, on a page with several forms (each field's error id then names its form, and
    /// the error summary sits inside that form); null on a page with one form.
    /// </summary>
    public string? ActiveForm { get; protected set; }

    /// <summary>The key of the one-time notice a redirect leaves for the page it leads to (<see cref="SeeOther"/>).</summary>
    private const string NoticeKey = "Notice";

    /// <summary>Shows, on a GET, the notice the redirect that led here left (read once: a reload does not show it again).</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (HttpMethods.IsGet(Request.Method) && TempData[NoticeKey] is string notice)
        {
            SuccessMessage = notice;
        }
    }

    /// <summary>
    /// The answer to a form that changed something (post-redirect-get): 303 to <paramref name="url"/>, which shows
    /// <paramref name="notice"/> once; a reload or Back asks for that page again and never sends the form twice.
    /// </summary>
    protected IActionResult SeeOther(string url, string notice)
    {
        TempData[NoticeKey] = notice;
        return new SeeOtherResult(url);
    }

    /// <summary>A field's errors as one sentence; null when it has none (or when they belong to another form than <paramref name="form"/>).</summary>
    public string? ErrorFor(string field, string? form = null) =>
        form == ActiveForm && FieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Whether a field (of <paramref name="form"/>, on a page with several) has an error.</summary>
    public bool HasError(string field, string? form = null) => form == ActiveForm && FieldErrors.ContainsKey(field);

    /// <summary>
    /// The error paragraph of a field (id <see cref="ErrorId"/>, which the field names in aria-describedby through the
    /// <c>bank-field</c> tag helper, and which the error summary links to), or nothing.
    /// </summary>
    public IHtmlContent FieldError(string field, string? form = null) => ErrorFor(field, form) is { } message
        ? new HtmlString($"<p class=\"field-error\" id=\"{ErrorId(field, form)}\">{HtmlEncoder.Default.Encode(message)}</p>")
        : HtmlString.Empty;

    /// <summary>The id of a field's error paragraph, for example <c>err-address-city</c> or <c>err-withdraw-amount</c>.</summary>
    public static string ErrorId(string field, string? form = null) =>
        "err-" + (form is null ? "" : form + "-") + field.Replace('.', '-').Replace('[', '-').Replace("]", "", StringComparison.Ordinal);

    /// <summary>The value of a service call, or false after showing its failure (and answering 403 or 404 where the failure says so).</summary>
    protected bool Succeeded<T>(Result<T> result, [MaybeNullWhen(false)] out T value)
    {
        if (result.TryGet(out value, out var failure))
        {
            return true;
        }

        Show(failure);
        return false;
    }

    /// <summary>Shows a failure: field errors beside their fields, the message above the form.</summary>
    protected void Show(Failure failure)
    {
        Problems.Count(HttpContext, failure);
        FieldErrors = failure.FieldErrors ?? new Dictionary<string, string[]>();
        ErrorMessage = failure.FieldErrors is null ? failure.Message : "Please correct the fields marked below.";
        if (failure.Type.Kind is FailureKind.Forbidden or FailureKind.NotFound)
        {
            Response.StatusCode = failure.Type.Kind == FailureKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
        }
    }

    /// <summary>Shows an error on one field that the page found itself.</summary>
    protected void ShowFieldError(string field, string message)
    {
        var errors = FieldErrors.ToDictionary(e => e.Key, e => e.Value);
        errors[field] = [message];
        FieldErrors = errors;
        ErrorMessage ??= "Please correct the fields marked below.";
    }

    /// <summary>
    /// Shows why the action of one control (a button) was not done, on a page with several forms: the error of
    /// <paramref name="field"/> inside <paramref name="form"/>, whose error summary says that nothing was changed; the
    /// button names it in aria-describedby (<see cref="DescribedBy"/>).
    /// </summary>
    protected void Refuse(string control, string form, string field, string why)
    {
        ActiveForm = form;
        _refused = (control, ErrorId(field, form));
        ShowFieldError(field, why);
        ErrorMessage = "Nothing was changed.";
    }

    /// <summary>aria-describedby for the button of <paramref name="control"/>: its error, when it was just refused.</summary>
    public string? DescribedBy(string control) => _refused is { } refused && refused.Control == control ? refused.ErrorId : null;

    private (string Control, string ErrorId)? _refused;
}

/// <summary>A page that shows one keyset page of a Core list, bound from the query string with the API's own query record.</summary>
public abstract class ListPageModel<TQuery, TItem>(TQuery firstQuery, string path) : BankPageModel
    where TQuery : class, IPageQuery
{
    /// <summary>The filters and cursor the page was asked for.</summary>
    public TQuery Query { get; private set; } = firstQuery;

    /// <summary>The items of this page.</summary>
    public Page<TItem> Result { get; private set; } = new([], null);

    /// <summary>This page with the same filters at another cursor (the first page for null).</summary>
    public string PageUrl(string? cursor) => ListLinks.For(path, Query, cursor);

    /// <summary>Shows the page <paramref name="list"/> answers for <paramref name="query"/>, or its failure.</summary>
    protected async Task ShowAsync(TQuery query, Func<TQuery, Task<Result<Page<TItem>>>> list)
    {
        Query = query;
        if (Succeeded(await list(query), out var page))
        {
            Result = page;
        }
    }
}

/// <summary>Links to a list page with the same filters: a Core query record as a query string (its camelCase names, blank values left out).</summary>
public static class ListLinks
{
    /// <summary><paramref name="path"/> with every filter of <paramref name="query"/> and the given cursor (paging of the query itself is left out).</summary>
    public static string For(string path, IPageQuery query, string? cursor)
    {
        var pairs = query.GetType().GetProperties()
            .Where(p => p.Name is not (nameof(IPageQuery.Cursor) or nameof(IPageQuery.Limit)))
            .Select(p => (Name: char.ToLowerInvariant(p.Name[0]) + p.Name[1..], Value: Convert.ToString(p.GetValue(query), Display.India)))
            .Append((Name: "cursor", Value: cursor))
            .Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => KeyValuePair.Create(p.Name, p.Value));
        return path + QueryString.Create(pairs);
    }
}
