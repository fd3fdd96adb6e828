namespace DevLauncher.Backend.Model;

internal sealed record CreateThreadRequest(string? Title);

internal sealed record ThreadResponse(long Id, string Title, DateTimeOffset CreatedAt);

internal sealed record PostMessageRequest(string? Body);

internal sealed record MessageResponse(long Id, long ThreadId, Guid AuthorId, string AuthorEmail, string Body, DateTimeOffset CreatedAt);
