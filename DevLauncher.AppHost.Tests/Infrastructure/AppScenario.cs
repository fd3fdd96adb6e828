namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// One app started, and what a scenario did to it, for a class of tests that each assert one outcome of it (a class
/// fixture): the app starts once, however many behaviours the tests name.
/// </summary>
public abstract class AppScenario : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    internal TestAppHost Host { get; private set; } = null!;

    public DistributedApplication App => Host.App ?? throw new InvalidOperationException("The app has not started.");

    public async ValueTask InitializeAsync()
    {
        try
        {
            await RunAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // A fixture that fails to start is not disposed by xunit: its processes must not outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _owned.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the app and does what the tests then look at.</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Something the scenario made that only has a synchronous Dispose; disposed with the fixture.</summary>
    protected void OwnDisposable(IDisposable disposable) => _owned.Add(new Disposal(disposable));

    /// <summary>Something the scenario made, the host it runs on among them; disposed with the fixture, the last made first.</summary>
    protected T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        if (disposable is TestAppHost host)
        {
            Host = host;
        }

        return disposable;
    }

    private sealed class Disposal(IDisposable disposable) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            disposable.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
