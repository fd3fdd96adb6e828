using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DevLauncher.Tests.Infrastructure;

/// <summary>Calls the running services the way any client would, over HTTP.</summary>
public sealed class ApiClient(ReadyInfo ready) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public ReadyInfo Ready => ready;

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    public Task<HttpResponseMessage> RegisterAsync(string email, string password) =>
        _http.PostAsJsonAsync($"{ready.Auth}/users", new { email, password });

    public async Task<string> SignUpAndInAsync(string email, string password = "correct horse battery")
    {
        using var registered = await RegisterAsync(email, password);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var session = await _http.PostAsJsonAsync($"{ready.Auth}/sessions", new { email, password });
        Assert.Equal(HttpStatusCode.Created, session.StatusCode);
        return (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<long> CreateThreadAsync(string token, string title)
    {
        using var response = await SendAsync(HttpMethod.Post, $"{ready.Backend}/threads", token, new { title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public Task<HttpResponseMessage> PostMessageAsync(string token, long threadId, string body) =>
        SendAsync(HttpMethod.Post, $"{ready.Backend}/threads/{threadId}/messages", token, new { body });

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string url, string? token, string content, string contentType)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
