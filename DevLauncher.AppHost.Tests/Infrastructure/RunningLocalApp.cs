namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// One app in local mode, started for a class (a class fixture), with its services healthy and a row of the test's in
/// its database: the first AppHost on its cluster, for the tests of what a second AppHost, or anything else run beside
/// it, must leave alone.
/// </summary>
public sealed class RunningLocalApp : IAsyncLifetime
{
    public const string ProbeTable = "public.devlauncher_test_probe";
    private TestAppHost? _host;

    public DistributedApplication App => _host?.App ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The local server's cluster: the folder a second AppHost of the same checkout would take.</summary>
    public ClusterFiles Cluster { get; private set; } = null!;

    /// <summary>The text of the probe row written once the app was up.</summary>
    public string ProbeNote { get; } = $"written before anything else ran {Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            _host = await TestAppHost.CreateAsync(DevLauncher.Hosting.Postgres.PostgresMode.Local, cancellationToken);
            var app = await _host.StartAsync(cancellationToken);
            await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
            Cluster = new ClusterFiles(_host.DataDirectory);
            var owner = (await AppEndpoints.OfAsync(app, cancellationToken)).Database;
            await Sql.ExecuteAsync(owner, $"CREATE TABLE {ProbeTable} (note text); INSERT INTO {ProbeTable} VALUES ('{ProbeNote}')", cancellationToken);
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
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
