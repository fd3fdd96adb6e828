using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>Calls the running services the way any client would, over HTTP, for the length of one test.</summary>
public sealed class ApiClient(AppEndpoints app, CancellationToken cancellationToken) : IDisposable
{
    public const string Password = "correct horse battery";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public AppEndpoints App => app;

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    public Task<HttpResponseMessage> RegisterAsync(string email, string password) =>
        _http.PostAsJsonAsync($"{app.Auth}/users", new { email, password }, cancellationToken);

    public async Task<string> SignUpAndInAsync(string email, string password = Password)
    {
        using var registered = await RegisterAsync(email, password);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var session = await _http.PostAsJsonAsync($"{app.Auth}/sessions", new { email, password }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, session.StatusCode);
        return (await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("token").GetString()!;
    }

    public async Task<long> CreateThreadAsync(string token, string title)
    {
        using var response = await SendAsync(HttpMethod.Post, $"{app.Backend}/threads", token, new { title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetInt64();
    }

    public Task<HttpResponseMessage> PostMessageAsync(string token, long threadId, string body) =>
        SendAsync(HttpMethod.Post, $"{app.Backend}/threads/{threadId}/messages", token, new { body });

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? token, object? body = null) =>
        SendAsync(new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) }, token);

    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string url, string? token, string content, string contentType)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return SendAsync(request, token);
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _http.SendAsync(request, cancellationToken);
    }
}
