using DevLauncher.Frontend.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DevLauncher.Frontend.Pages;

internal sealed class SignInModel(AuthClient auth) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Registered { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var session = await auth.SignInAsync(Email, Password, cancellationToken);
        if (!session.Ok)
        {
            Error = session.Problem;
            Response.StatusCode = (int)session.Status;
            return Page();
        }

        SessionCookie.Write(Response, Request, session.Value!);
        // Only a local path: an absolute URL here would make this page an open redirect.
        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Index");
    }
}
