using System.Net.Http.Headers;

namespace DevLauncher.Frontend.Infrastructure;

internal sealed record UserDto(Guid Id, string Email);

internal sealed record SessionDto(string Token, DateTimeOffset ExpiresAt);

internal sealed class AuthClient(HttpClient http)
{
    public Task<ApiResponse<UserDto>> RegisterAsync(string? email, string? password, CancellationToken cancellationToken) =>
        SendAsync<UserDto>(HttpMethod.Post, "/users", new { email, password }, cancellationToken);

    public Task<ApiResponse<SessionDto>> SignInAsync(string? email, string? password, CancellationToken cancellationToken) =>
        SendAsync<SessionDto>(HttpMethod.Post, "/sessions", new { email, password }, cancellationToken);

    public async Task SignOutAsync(string token, CancellationToken cancellationToken)
    {
        // Signing out must work even when the session is already gone; the status is not interesting.
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/sessions/current");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var _ = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The cookie is deleted anyway; the session expires on its own.
        }
    }

    private Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        ApiResponse.SendAsync<T>(http, "auth", method, path, null, body, cancellationToken);
}
