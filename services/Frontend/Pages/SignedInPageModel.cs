using DevLauncher.Frontend.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DevLauncher.Frontend.Pages;

/// <summary>A page that needs a session: without the cookie, or when auth no longer knows the token, go sign in.</summary>
internal abstract class SignedInPageModel : PageModel
{
    protected string Token => SessionCookie.Read(Request) ?? throw new InvalidOperationException("No session cookie.");

    protected bool IsSignedIn => SessionCookie.Read(Request) is not null;

    protected IActionResult SignInAgain()
    {
        SessionCookie.Delete(Response);
        return RedirectToPage("/SignIn", new { returnUrl = Request.Path.Value });
    }

    /// <summary>Turns a failed backend call into what the user should see.</summary>
    protected IActionResult? Failure<T>(ApiResponse<T> response) => response.Status switch
    {
        System.Net.HttpStatusCode.Unauthorized => SignInAgain(),
        System.Net.HttpStatusCode.NotFound => NotFound(),
        System.Net.HttpStatusCode.ServiceUnavailable => StatusCode(StatusCodes.Status503ServiceUnavailable),
        _ => null, // success, or a 4xx whose reason the page shows next to the form
    };
}
