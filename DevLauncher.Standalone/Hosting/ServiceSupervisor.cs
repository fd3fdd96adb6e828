using System.Text.Json;
using DevLauncher.Standalone.Console;
using DevLauncher.Standalone.Model;

namespace DevLauncher.Standalone.Hosting;

/// <summary>
/// Runs one service: starts it, reports it healthy once <c>/health</c> answers 200, keeps watching its health, and
/// restarts it after a crash (a non-zero exit) so a developer's environment heals itself, as a dev orchestrator should.
/// </summary>
public sealed class ServiceSupervisor(
    string name, string dll, int port, IReadOnlyDictionary<string, string?> environment,
    StatusView view, HttpClient http, TimeProvider timeProvider) : IDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource _firstHealthy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public string Name => name;

    public string Url => $"http://127.0.0.1:{port}";

    /// <summary>Completes the first time the service is healthy.</summary>
    public Task FirstHealthy => _firstHealthy.Task;

    public void Start() => _loop = Task.Run(() => SuperviseAsync(_stopping.Token));

    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        // A service that already exited on its own (Ctrl-C in a terminal reaches the services too) has been reported
        // as stopped by the loop; saying "stopping" after that would only confuse.
        var running = !_loop.IsCompleted;
        if (running)
        {
            view.Update(name, ResourceState.Stopping, Url);
        }

        // The loop owns the process and stops it: a child that exits on its own at this very moment has already been
        // disposed by the loop, and must not be touched here.
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked for.
        }

        if (running)
        {
            view.Update(name, ResourceState.Stopped, Url);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            view.Update(name, ResourceState.Starting, Url);
            await using var child = ChildProcess.Start(name, dll, environment, view);
            view.Update(name, ResourceState.Running, Url, $"pid {child.Id}");

            var exited = child.WaitForExitAsync(CancellationToken.None);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var watch = WatchHealthAsync(watching.Token);
            try
            {
                await exited.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: handled below, where the child is stopped by its owner.
            }

            await watching.CancelAsync();
            await watch;

            if (stopping.IsCancellationRequested)
            {
                await child.StopAsync(StopGrace);
                return;
            }

            var code = await exited;
            if (code == 0)
            {
                // A clean exit was asked for by someone (a signal from the terminal): not a crash to repair.
                view.Update(name, ResourceState.Stopped, Url, "exited with code 0");
                return;
            }

            view.Update(name, ResourceState.Failed, Url, $"exited with code {code}; restarting in {RestartDelay.TotalSeconds:0} s");
            await Task.Delay(RestartDelay, timeProvider, stopping);
        }
    }

    private async Task WatchHealthAsync(CancellationToken cancellationToken)
    {
        bool? healthy = null;
        string? lastReason = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (ok, reason) = await ProbeAsync(cancellationToken);
                if (ok && healthy != true)
                {
                    view.Update(name, ResourceState.Healthy, Url);
                    _firstHealthy.TrySetResult();
                }
                else if (!ok && (healthy == true || (reason is not null && reason != lastReason)))
                {
                    view.Update(name, ResourceState.Running, Url, reason is null ? "not healthy" : $"not healthy: {reason}");
                }

                healthy = ok;
                lastReason = reason ?? lastReason;
                await Task.Delay(TimeSpan.FromMilliseconds(ok ? 2000 : 250), timeProvider, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The process exited or the host is stopping.
        }
    }

    /// <returns>Whether /health answered 200, and otherwise the reasons its failing checks gave.</returns>
    private async Task<(bool Ok, string? Reason)> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"{Url}/health", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (true, null);
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var reasons = body.RootElement.GetProperty("checks").EnumerateArray()
                .Where(c => c.GetProperty("status").GetString() != "Healthy")
                .Select(c => c.GetProperty("description").GetString())
                .Where(d => !string.IsNullOrEmpty(d));
            return (false, string.Join("; ", reasons));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (false, null); // not listening yet
        }
    }
}
