using DevLauncher.Frontend.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DevLauncher.Frontend.Pages;

/// <summary>POST only (with the anti-forgery token): a link or an image elsewhere cannot sign a user out.</summary>
internal sealed class SignOutModel(AuthClient auth) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (SessionCookie.Read(Request) is { } token)
        {
            await auth.SignOutAsync(token, cancellationToken);
        }

        SessionCookie.Delete(Response);
        return RedirectToPage("/SignIn");
    }
}
