using System.Net;
using System.Net.Http.Headers;

namespace DevLauncher.Backend.Infrastructure;

/// <summary>The session's user, as auth reports it.</summary>
internal sealed record SessionUser(Guid UserId, string Email, DateTimeOffset ExpiresAt);

/// <summary>Auth could not be asked: the caller gets a 503, not a 401, since the token may be fine.</summary>
internal sealed class AuthUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Checks bearer tokens with auth's <c>GET /sessions/current</c>.</summary>
internal sealed class AuthClient(HttpClient http)
{
    public async Task<SessionUser?> GetSessionUserAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions/current");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return await ReadSessionUserAsync(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException or System.Text.Json.JsonException)
        {
            throw new AuthUnavailableException($"The auth service could not check the session: {ex.Message}", ex);
        }
    }

    /// <returns>Null when auth does not know the token (401); any other failure is auth's, not the token's.</returns>
    private static async Task<SessionUser?> ReadSessionUserAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new AuthUnavailableException($"The auth service answered {(int)response.StatusCode} to a session check.");
        }

        return await response.Content.ReadFromJsonAsync<SessionUser>(cancellationToken)
            ?? throw new AuthUnavailableException("The auth service answered a session check with an empty body.");
    }
}
