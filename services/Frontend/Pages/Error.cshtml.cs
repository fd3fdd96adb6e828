using DevLauncher.Frontend.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DevLauncher.Frontend.Pages;

/// <summary>One page for every error status: says what happened in words, never with a stack trace.</summary>
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = "The page could not be shown. Try again in a moment.";

    public void OnGet(int? status) => Describe(status);

    public void OnPost(int? status) => Describe(status);

    private void Describe(int? status)
    {
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is ServiceUnavailableException or HttpRequestException)
        {
            status = StatusCodes.Status503ServiceUnavailable;
        }

        (Title, Explanation) = status switch
        {
            404 => ("Not found", "There is no such page, or the thread is not yours."),
            400 => ("Bad request", "The form could not be read. Reload the page and try again."),
            503 => ("Temporarily unavailable", "A service this page needs is not available right now. Try again in a moment."),
            _ => (Title, Explanation),
        };
        Response.StatusCode = status ?? StatusCodes.Status500InternalServerError;
        if (Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = "1"; // as the services' own 503s: the schema loop's windows last a moment
        }
    }
}
