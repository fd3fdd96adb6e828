using System.Net;
using System.Text.Json;

namespace DevLauncher.Frontend.Infrastructure;

/// <summary>What a call to auth or backend gave: a value, or the status and the reason the service stated.</summary>
public sealed record ApiResponse<T>(T? Value, HttpStatusCode Status, string? Problem)
{
    public bool Ok => Problem is null && Value is not null;
}

public static class ApiResponse
{
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
public sealed class ServiceUnavailableException(string message, Exception inner) : Exception(message, inner);
