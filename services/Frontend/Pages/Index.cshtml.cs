using DevLauncher.Frontend.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DevLauncher.Frontend.Pages;

internal sealed class IndexModel(BackendClient backend, ILogger<IndexModel> logger) : SignedInPageModel
{
    public IReadOnlyList<ThreadDto> Threads { get; private set; } = [];

    [BindProperty]
    public string? Title { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!IsSignedIn)
        {
            return RedirectToPage("/SignIn");
        }

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!IsSignedIn)
        {
            return RedirectToPage("/SignIn");
        }

        var created = await backend.CreateThreadAsync(Token, Title, cancellationToken);
        if (created.Ok)
        {
            logger.LogInformation("Thread {ThreadId} created from the frontend", created.Value!.Id);
            return Redirect($"/threads/{created.Value.Id}");
        }

        if (Failure(created) is { } failure)
        {
            return failure;
        }

        Error = created.Problem;
        Response.StatusCode = (int)created.Status;
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var threads = await backend.ListThreadsAsync(Token, cancellationToken);
        if (Failure(threads) is { } failure)
        {
            return failure;
        }

        Threads = threads.Value ?? [];
        logger.LogInformation("Thread list shown with {ThreadCount} threads", Threads.Count);
        return Page();
    }
}
