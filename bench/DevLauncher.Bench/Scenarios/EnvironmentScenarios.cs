using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DevLauncher.Bench.Infrastructure;

namespace DevLauncher.Bench.Scenarios;

/// <summary>Scenarios 5 and 6: the Standalone host as users start it, and the backend under load.</summary>
public sealed partial class EnvironmentScenarios(string standaloneDll, Report report, int iterations)
{
    public async Task StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"devlauncher-bench-env-{Guid.NewGuid():N}");
        var cold = new List<double>();
        var warm = new List<double>();
        var phases = new Dictionary<string, List<double>>();
        var peakMb = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }

            foreach (var (kind, samples) in new[] { ("cold", cold), ("warm", warm) })
            {
                var (ms, output, peak) = await RunUntilReadyAsync(dataDirectory, stopAfter: true);
                samples.Add(ms);
                // An outlier should explain itself: a restart is the usual cause, and the status view says why.
                foreach (var line in output.Split('\n').Where(l => l.Contains("restarting in", StringComparison.Ordinal)))
                {
                    Console.WriteLine($"note: {kind} start {i + 1} took {ms:0} ms: {line.Trim()}");
                }

                peakMb.Add(peak);
                foreach (Match match in PhasePattern().Matches(output))
                {
                    var key = $"{kind}: {match.Groups[1].Value} {match.Groups[2].Value}";
                    phases.TryAdd(key, []);
                    phases[key].Add(double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) * 1000);
                }
            }
        }

        var coldSample = new Sample("cold (initdb) to all healthy", cold);
        var warmSample = new Sample("warm (existing cluster) to all healthy", warm);
        report.Add("5. environment start", coldSample, "", "< 6000 ms");
        report.Add("5. environment start", warmSample, Report.Ratio(warmSample, coldSample), "< 3000 ms");
        foreach (var (phase, values) in phases.OrderBy(p => p.Key))
        {
            report.Add("5. environment start, by phase", new Sample(phase, values));
        }

        report.Add("5. environment start", new Sample("peak RSS of the process tree", peakMb, "MB"));
        Directory.Delete(dataDirectory, recursive: true);
    }

    public async Task ThroughputAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"devlauncher-bench-load-{Guid.NewGuid():N}");
        var (_, _, _, host, ready) = await StartHostAsync(dataDirectory);
        try
        {
            using var http = new HttpClient();
            var email = $"bench-{Guid.NewGuid():N}@example.com";
            (await http.PostAsJsonAsync($"{ready["auth"]}/users", new { email, password = "correct horse battery" })).EnsureSuccessStatusCode();
            var session = await (await http.PostAsJsonAsync($"{ready["auth"]}/sessions", new { email, password = "correct horse battery" })).Content.ReadFromJsonAsync<JsonElement>();
            http.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
            var thread = await (await http.PostAsJsonAsync($"{ready["backend"]}/threads", new { title = "load" })).Content.ReadFromJsonAsync<JsonElement>();
            var threadId = thread.GetProperty("id").GetInt64();

            var health = await LoadAsync(http, "GET /health (floor)", () => new HttpRequestMessage(HttpMethod.Get, $"{ready["backend"]}/health"));
            var list = await LoadAsync(http, "GET /threads", () => new HttpRequestMessage(HttpMethod.Get, $"{ready["backend"]}/threads"));
            var post = await LoadAsync(http, "POST /threads/{id}/messages", () => new HttpRequestMessage(HttpMethod.Post, $"{ready["backend"]}/threads/{threadId}/messages")
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
        finally
        {
            await StopAsync(host);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<(string Name, double Rps, double P50, double P99, int Errors)> LoadAsync(
        HttpClient http, string name, Func<HttpRequestMessage> request)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var errors = 0;
        var duration = TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
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

    private async Task<(double Ms, string Output, double PeakMb)> RunUntilReadyAsync(string dataDirectory, bool stopAfter)
    {
        var (ms, output, peak, host, _) = await StartHostAsync(dataDirectory);
        if (stopAfter)
        {
            await StopAsync(host);
        }

        return (ms, output.ToString(), peak);
    }

    private async Task<(double Ms, System.Text.StringBuilder Output, double PeakMb, Process Host, Dictionary<string, string> Ready)> StartHostAsync(string dataDirectory)
    {
        var readyFile = Path.Combine(Path.GetTempPath(), $"devlauncher-bench-ready-{Guid.NewGuid():N}.json");
        var output = new System.Text.StringBuilder();
        var clock = Stopwatch.StartNew();
        // Below Linux's ephemeral port range (32768-60999): there, a client socket of an earlier scenario may hold one of
        // the three ports, and the service that cannot bind it crashes and is restarted until it can.
        var host = Process.Start(new ProcessStartInfo("dotnet", [standaloneDll, "--data-dir", dataDirectory, "--port-base", "17100", "--ready-file", readyFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        host.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        double peak = 0;
        while (!File.Exists(readyFile))
        {
            if (host.HasExited || clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"The Standalone host did not get ready:{Environment.NewLine}{output}");
            }

            peak = Math.Max(peak, ProcessTree.RssMegabytes(host.Id, dataDirectory));
            await Task.Delay(20);
        }

        var ms = clock.Elapsed.TotalMilliseconds;
        for (var i = 0; i < 10; i++)
        {
            peak = Math.Max(peak, ProcessTree.RssMegabytes(host.Id, dataDirectory));
            await Task.Delay(100);
        }

        var ready = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(readyFile))!;
        return (ms, output, peak, host, ready);
    }

    private static async Task StopAsync(Process host)
    {
        Process.Start("kill", ["-TERM", host.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        await host.WaitForExitAsync();
    }

    [GeneratedRegex(@"[●✖] (postgres|migrations|auth|backend|frontend)\s+(healthy|finished)\s+.*?\(([0-9.]+) s\)")]
    private static partial Regex PhasePattern();
}
