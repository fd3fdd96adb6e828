using DevLauncher.Frontend.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DevLauncher.Frontend.Pages.Threads;

internal sealed class DetailsModel(BackendClient backend, ILogger<DetailsModel> logger) : SignedInPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    public ThreadDto? Thread { get; private set; }

    public IReadOnlyList<MessageDto> Messages { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        IsSignedIn ? await ShowAsync(cancellationToken) : SignInAgain();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!IsSignedIn)
        {
            return SignInAgain();
        }

        var posted = await backend.PostMessageAsync(Token, Id, Body, cancellationToken);
        if (posted.Ok)
        {
            // Post/Redirect/Get: a refresh does not post the message twice.
            return Redirect($"/threads/{Id}");
        }

        if (Failure(posted) is { } failure)
        {
            return failure;
        }

        Error = posted.Problem;
        Response.StatusCode = (int)posted.Status;
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var messages = await backend.ListMessagesAsync(Token, Id, cancellationToken);
        if (Failure(messages) is { } failure)
        {
            return failure;
        }

        var threads = await backend.ListThreadsAsync(Token, cancellationToken);
        Thread = threads.Value?.FirstOrDefault(t => t.Id == Id);
        Messages = messages.Value ?? [];
        logger.LogInformation("Thread page {ThreadId} shown with {MessageCount} messages", Id, Messages.Count);
        return Page();
    }
}
