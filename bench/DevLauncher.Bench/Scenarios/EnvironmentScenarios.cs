using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DevLauncher.Bench.Infrastructure;

namespace DevLauncher.Bench.Scenarios;

/// <summary>Scenario 6: the backend under load, on the system the AppHost runs.</summary>
public sealed class EnvironmentScenarios(string root, string configuration, Report report)
{
    private const int Clients = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    public async Task ThroughputAsync()
    {
        await using var system = await RunningAppHost.StartAsync(root, configuration);
        using var http = new HttpClient();
        var threadId = await SignInAndCreateThreadAsync(http);

        var health = await LoadAsync(http, "GET /health (floor)", () => new HttpRequestMessage(HttpMethod.Get, $"{RunningAppHost.Backend}/health"));
        var list = await LoadAsync(http, "GET /threads", () => new HttpRequestMessage(HttpMethod.Get, $"{RunningAppHost.Backend}/threads"));
        var post = await LoadAsync(http, "POST /threads/{id}/messages", () => new HttpRequestMessage(HttpMethod.Post, $"{RunningAppHost.Backend}/threads/{threadId}/messages")
        {
            Content = JsonContent.Create(new { body = "load test message" }),
        });
        foreach (var (name, rps, p50, p99, errors) in new[] { health, list, post })
        {
            report.Note("6. backend, 16 clients, 10 s", name,
                string.Create(CultureInfo.InvariantCulture, $"{rps:0} req/s, p50 {p50:0.0} ms, p99 {p99:0.0} ms, errors {errors}"),
                string.Create(CultureInfo.InvariantCulture, $"{rps / health.Rps:0.00}x the health endpoint's rate"), "0 errors");
        }
    }

    /// <summary>A new user, signed in (the token becomes the client's default header), and a thread to post to.</summary>
    private static async Task<long> SignInAndCreateThreadAsync(HttpClient http)
    {
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        (await http.PostAsJsonAsync($"{RunningAppHost.Auth}/users", new { email, password = "correct horse battery" })).EnsureSuccessStatusCode();
        var session = await (await http.PostAsJsonAsync($"{RunningAppHost.Auth}/sessions", new { email, password = "correct horse battery" })).Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        var thread = await (await http.PostAsJsonAsync($"{RunningAppHost.Backend}/threads", new { title = "load" })).Content.ReadFromJsonAsync<JsonElement>();
        return thread.GetProperty("id").GetInt64();
    }

    private static async Task<(string Name, double Rps, double P50, double P99, int Errors)> LoadAsync(
        HttpClient http, string name, Func<HttpRequestMessage> request)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < Duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request());
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var sorted = latencies.Order().ToList();
        return (name, sorted.Count / clock.Elapsed.TotalSeconds, sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.99)], errors);
    }
}
