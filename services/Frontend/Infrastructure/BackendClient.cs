namespace DevLauncher.Frontend.Infrastructure;

internal sealed record ThreadDto(long Id, string Title, DateTimeOffset CreatedAt);

internal sealed record MessageDto(long Id, long ThreadId, Guid AuthorId, string AuthorEmail, string Body, DateTimeOffset CreatedAt);

internal sealed class BackendClient(HttpClient http)
{
    public Task<ApiResponse<List<ThreadDto>>> ListThreadsAsync(string token, CancellationToken cancellationToken) =>
        SendAsync<List<ThreadDto>>(HttpMethod.Get, "/threads", token, null, cancellationToken);

    public Task<ApiResponse<ThreadDto>> CreateThreadAsync(string token, string? title, CancellationToken cancellationToken) =>
        SendAsync<ThreadDto>(HttpMethod.Post, "/threads", token, new { title }, cancellationToken);

    public Task<ApiResponse<List<MessageDto>>> ListMessagesAsync(string token, long threadId, CancellationToken cancellationToken) =>
        SendAsync<List<MessageDto>>(HttpMethod.Get, $"/threads/{threadId}/messages", token, null, cancellationToken);

    public Task<ApiResponse<MessageDto>> PostMessageAsync(string token, long threadId, string? body, CancellationToken cancellationToken) =>
        SendAsync<MessageDto>(HttpMethod.Post, $"/threads/{threadId}/messages", token, new { body }, cancellationToken);

    private Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken) =>
        ApiResponse.SendAsync<T>(http, "backend", method, path, token, body, cancellationToken);
}
