using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages;

/// <summary>
/// 303 See Other to a GET page: the answer to a form that changed something (post-redirect-get), so that a reload or the
/// back button asks for the result page again and never sends the form a second time.
/// </summary>
public sealed class SeeOtherResult(string url) : IActionResult
{
    /// <summary>Where the browser goes next (a local path).</summary>
    public string Url { get; } = url;

    /// <inheritdoc/>
    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.HttpContext.Response.Headers.Location = Url;
        return Task.CompletedTask;
    }
}
