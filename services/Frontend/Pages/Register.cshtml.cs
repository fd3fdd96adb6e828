using DevLauncher.Frontend.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DevLauncher.Frontend.Pages;

internal sealed class RegisterModel(AuthClient auth) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var registered = await auth.RegisterAsync(Email, Password, cancellationToken);
        if (!registered.Ok)
        {
            Error = registered.Problem;
            Response.StatusCode = (int)registered.Status;
            return Page();
        }

        return RedirectToPage("/SignIn", new { registered = true, email = registered.Value!.Email });
    }
}
