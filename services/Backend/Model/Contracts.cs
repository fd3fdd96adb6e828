namespace DevLauncher.Backend.Model;

public sealed record CreateThreadRequest(string? Title);

public sealed record ThreadResponse(long Id, string Title, DateTimeOffset CreatedAt);

public sealed record PostMessageRequest(string? Body);

public sealed record MessageResponse(long Id, long ThreadId, Guid AuthorId, string AuthorEmail, string Body, DateTimeOffset CreatedAt);
