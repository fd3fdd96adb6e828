using System.Diagnostics;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>Waits for services' <c>/health</c> to answer 200, as a script waiting for "all is up" would.</summary>
public static class HealthPolling
{
    /// <param name="owner">The process that runs them: its exit ends the wait with an error rather than a time-out.</param>
    public static async Task WaitAsync(IEnumerable<string> services, ChildProcess owner, TimeSpan deadline)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        foreach (var service in services)
        {
            while (!await IsHealthyAsync(http, $"{service}/health"))
            {
                if (owner.HasExited || clock.Elapsed > deadline)
                {
                    throw new InvalidOperationException($"{service} did not become healthy (its runner {(owner.HasExited ? $"exited with {owner.ExitCode}" : "is still running")})");
                }

                await Task.Delay(50);
            }
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
