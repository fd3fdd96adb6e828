using System.Net;
using System.Text.Json;

namespace DevLauncher.Frontend.Infrastructure;

/// <summary>What a call to auth or backend gave: a value, or the status and the reason the service stated.</summary>
internal sealed record ApiResponse<T>(T? Value, HttpStatusCode Status, string? Problem)
{
    public bool Ok => Problem is null && Value is not null;
}

internal static class ApiResponse
{
    /// <summary>Sends a JSON request (with the session's bearer token when given) to auth or backend and reads the answer.</summary>
    public static async Task<ApiResponse<T>> SendAsync<T>(
        HttpClient http, string service, HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return await ReadAsync<T>(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            // The resilience handler's breaker opens on a burst of 503s (a service waiting out the schema loop), and its
            // timeouts end a slow call: both mean "not available now", which the page says with a 503, not a 500.
            throw new ServiceUnavailableException($"The {service} service is not reachable.", ex);
        }
    }

    public static async Task<ApiResponse<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return new ApiResponse<T>(await response.Content.ReadFromJsonAsync<T>(cancellationToken), response.StatusCode, null);
        }

        return new ApiResponse<T>(default, response.StatusCode, await ReasonAsync(response, cancellationToken));
    }

    /// <summary>The ProblemDetails' validation errors, else its detail, else its title.</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = problem.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join(" ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(v => v.GetString())));
            }

            if (root.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text)
            {
                return text;
            }

            return root.TryGetProperty("title", out var title) ? title.GetString() ?? response.ReasonPhrase ?? "" : response.ReasonPhrase ?? "";
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }
}

/// <summary>A service could not be reached: the page says so (503) rather than failing with a 500.</summary>
internal sealed class ServiceUnavailableException(string message, Exception inner) : Exception(message, inner);
