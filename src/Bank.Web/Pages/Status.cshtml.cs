using System.Globalization;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bank.Web.Pages;

/// <summary>
/// The page of an error status (404, 403, 429, 400 …) inside the layout. The status pages middleware re-executes it with
/// the failed request's own method, so it has no handler of its own (every method renders it) and needs no antiforgery
/// token; the status stays the original's. Asked for by its address, it answers with the status it names.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    /// <summary>What the page says, for the response's status (and its Retry-After, for 429).</summary>
    public StatusMessage Message
    {
        get
        {
            if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is null && !Response.HasStarted)
            {
                var code = Convert.ToInt32(RouteData.Values["code"], CultureInfo.InvariantCulture);
                Response.StatusCode = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
            }

            var retryAfter = int.TryParse(Response.Headers.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : (int?)null;
            return StatusPages.For(Response.StatusCode, retryAfter);
        }
    }
}
