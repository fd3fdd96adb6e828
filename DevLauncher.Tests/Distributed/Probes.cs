using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace DevLauncher.Tests.Distributed;

/// <summary>One answer to a probe: which operation of the loop was running when it was sent, and what came back.</summary>
internal sealed record ProbeAnswer(string Operation, string Target, HttpStatusCode? Status, bool RetryAfter, string Detail, TimeSpan Took)
{
    public bool IsHealth => Target.EndsWith("/health", StringComparison.Ordinal);

    /// <summary>/health: 200. An API call: its usual 200, or 503 that says when to try again.</summary>
    public bool Passes => Status == HttpStatusCode.OK || (!IsHealth && Status == HttpStatusCode.ServiceUnavailable && RetryAfter);

    public override string ToString() =>
        $"{Operation}: {Target} -> {(Status is { } s ? (int)s : "no answer")}{(RetryAfter ? " Retry-After" : "")} after {Took.TotalSeconds:0.0} s {Detail}";
}

/// <summary>
/// Sends every request every 0.2 s, without waiting for the previous ones (as a dashboard's or a user's would), and
/// keeps each answer with the loop operation running when it was sent.
/// </summary>
internal sealed class Probes : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<(string Target, Func<HttpRequestMessage> Create)> _requests;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentBag<Task<ProbeAnswer>> _sent = [];
    private readonly ConcurrentBag<(string Name, TimeSpan Took)> _durations = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile string _operation = "before";

    /// <param name="requests">Each probe's name ("auth /health") and how to make its request.</param>
    public Probes(IReadOnlyList<(string Target, Func<HttpRequestMessage> Create)> requests)
    {
        _requests = requests;
        _loop = Task.Run(SendEveryIntervalAsync);
    }

    /// <summary>Runs <paramref name="operation"/>, tagging the probes sent meanwhile with <paramref name="name"/>.</summary>
    public async Task DuringAsync(string name, Func<Task> operation)
    {
        _operation = name;
        var started = Stopwatch.GetTimestamp();
        await operation();
        _operation = "between";
        _durations.Add((name, Stopwatch.GetElapsedTime(started)));
    }

    /// <summary>How long each operation took, the longest first: the windows the services had to wait through.</summary>
    public IEnumerable<string> LongestOperations => _durations.OrderByDescending(d => d.Took).Take(8).Select(d => $"{d.Name} {d.Took.TotalSeconds:0.00} s");

    /// <summary>Stops sending and returns every answer, once each has come.</summary>
    public async Task<IReadOnlyList<ProbeAnswer>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return await Task.WhenAll(_sent);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        _http.Dispose();
    }

    private async Task SendEveryIntervalAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            foreach (var (target, create) in _requests)
            {
                _sent.Add(SendAsync(_operation, target, create()));
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<ProbeAnswer> SendAsync(string operation, string target, HttpRequestMessage request)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request))
            {
                var detail = response.StatusCode == HttpStatusCode.OK ? "" : await response.Content.ReadAsStringAsync();
                return new ProbeAnswer(operation, target, response.StatusCode, response.Headers.RetryAfter is not null, detail, Stopwatch.GetElapsedTime(sent));
            }
        }
        catch (HttpRequestException ex)
        {
            return new ProbeAnswer(operation, target, null, false, ex.Message, Stopwatch.GetElapsedTime(sent));
        }
    }
}
