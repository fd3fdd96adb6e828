using System.Collections.Concurrent;
using System.Diagnostics;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <param name="Status">Null when no answer came: the connection failed or the client gave up.</param>
/// <param name="Took">How long the answer took, for the failure messages.</param>
public sealed record Outcome(HttpStatusCode? Status, string Body, DateTime At, TimeSpan Took);

/// <summary>
/// Clients that send one request after another until stopped, as users of a running system do while something breaks,
/// keeping every outcome. No answer is an outcome too, never an exception that ends a client.
/// </summary>
public sealed class LoadClients : IAsyncDisposable
{
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly CancellationTokenSource _stop;
    private readonly Task _clients;

    private LoadClients(int count, Func<int, int, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _clients = Task.WhenAll(Enumerable.Range(0, count).Select(client => Task.Run(() => RunAsync(client, send), CancellationToken.None)));
    }

    public IReadOnlyList<Outcome> Outcomes => [.. _outcomes];

    /// <param name="send">Sends request number <c>i</c> of client <c>c</c>: (c, i) => response.</param>
    public static LoadClients Start(int count, Func<int, int, Task<HttpResponseMessage>> send, CancellationToken cancellationToken) =>
        new(count, send, cancellationToken);

    /// <summary>Waits until some outcome since <paramref name="since"/> matches; false if none did in time.</summary>
    public async Task<bool> WaitForAsync(DateTime since, Func<Outcome, bool> match, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AppResources.WaitTimeout);
        while (!_outcomes.Any(o => o.At >= since && match(o)))
        {
            if (deadline.IsCancellationRequested || _clients.IsCompleted)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        return true;
    }

    public async Task<IReadOnlyList<Outcome>> StopAsync()
    {
        await _stop.CancelAsync();
        await _clients;
        return Outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(int client, Func<int, int, Task<HttpResponseMessage>> send)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            _outcomes.Enqueue(await SendAsync(() => send(client, i)));
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    private static async Task<Outcome> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            return new Outcome(response.StatusCode, body, DateTime.UtcNow, clock.Elapsed);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new Outcome(null, ex.Message, DateTime.UtcNow, clock.Elapsed);
        }
    }
}
