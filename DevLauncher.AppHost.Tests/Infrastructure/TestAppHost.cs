using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;
using Microsoft.Extensions.Hosting;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// Builds the real AppHost for a test: its own passwords, pgAdmin off, a developer's <c>ConnectionStrings:appdb</c>
/// blanked, and a PostgreSQL of its own that goes away with it. Where a container runtime answers, that is a container
/// that lives for the session only (F5's persistent container and its volume are left alone); where none does, the
/// machine's own PostgreSQL in a fresh data folder.
/// </summary>
internal sealed class TestAppHost : IAsyncDisposable
{
    public const string ServicePassword = "apphost-tests-service-password";
    public const string MarkerVariable = "DEVLAUNCHER_TEST_MARKER";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);
    private bool _stopped;

    private TestAppHost(IDistributedApplicationTestingBuilder builder, string dataDirectory)
    {
        Builder = builder;
        DataDirectory = dataDirectory;
    }

    public IDistributedApplicationTestingBuilder Builder { get; }

    /// <summary>The local server's folder (local mode only), deleted with the host.</summary>
    public string DataDirectory { get; }

    public IResource Resource(string name) => Builder.Resources.Single(r => r.Name == name);

    public DistributedApplication? App { get; private set; }

    /// <summary>In the environment of every process the app starts (<see cref="MarkerVariable"/>), so none goes unseen.</summary>
    public string Marker { get; } = $"apphost-test-{Guid.NewGuid():N}";

    /// <summary>The live processes the app started: its services (and what <c>dotnet run</c> started for them) and PostgreSQL.</summary>
    public IReadOnlyList<(int Pid, string Command)> Processes() => ProcessTable.WithEnvironment($"{MarkerVariable}={Marker}");

    /// <summary>The mode the start tests use on this machine, as auto chooses it: local where PostgreSQL's programs are installed, else a container.</summary>
    public static PostgresMode StartMode { get; } = PostgresBinaries.TryFind() is null ? PostgresMode.Container : PostgresMode.Local;

    /// <param name="keepPersistence">Keep the container's persistent lifetime and volume, for tests that only read the model.</param>
    /// <param name="dashboard">Run the dashboard too (Aspire.Hosting.Testing leaves it out), on free ports.</param>
    /// <param name="dataDirectory">The local server's folder, deleted with the host; a fresh one by default.</param>
    /// <param name="services">Start auth, backend and frontend; without them the app is PostgreSQL, appdb and the worker.</param>
    public static async Task<TestAppHost> CreateAsync(PostgresMode mode, CancellationToken cancellationToken,
        bool keepPersistence = false, bool dashboard = false, string[]? extra = null, string? dataDirectory = null, bool services = true)
    {
        dataDirectory ??= NewDataDirectory();
        string[] arguments = [.. Arguments(mode, dataDirectory), .. dashboard ? DashboardArguments() : [], .. extra ?? []];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DevLauncher_AppHost>(
                arguments, (options, _) => options.DisableDashboard = !dashboard, cancellationToken)
            .WaitAsync(StartTimeout, cancellationToken);
        var host = new TestAppHost(builder, dataDirectory);
        if (!keepPersistence)
        {
            host.ForgetContainerPersistence();
        }

        host.MarkProcesses();
        if (!services)
        {
            host.HoldServicesBack();
        }

        if (!dashboard)
        {
            host.ExportNoTelemetry();
        }

        return host;
    }

    public async Task<DistributedApplication> StartAsync(CancellationToken cancellationToken)
    {
        App = await Builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await App.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        return App;
    }

    /// <summary>
    /// Builds the app and waits until its <see cref="BeforeStartEvent"/> has been handled, without starting anything:
    /// what the AppHost settles at start (the local cluster and its hold on it, appdb's database) is then settled.
    /// Aspire.Hosting.Testing lets the AppHost's own <c>RunAsync</c> go on once the app is built, and that goes on to
    /// start the orchestrator after the event. Every resource is held back (Aspire's explicit start), so none starts
    /// behind the test's back; and as nothing is left to stop in order, the host's stop is not given its 30 s, which
    /// disposing an app the orchestrator is still starting otherwise waits out (microsoft/aspire#10280).
    /// </summary>
    public async Task<DistributedApplication> BuildUntilBeforeStartAsync(CancellationToken cancellationToken)
    {
        foreach (var resource in Builder.Resources.Where(r => r is ProjectResource or ExecutableResource or ContainerResource).ToList())
        {
            Builder.CreateResourceBuilder(resource).WithExplicitStart();
        }

        Builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Subscribed last, so it runs once the AppHost's own handlers have.
        Builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            handled.TrySetResult();
            return Task.CompletedTask;
        });
        App = await Builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await handled.Task.WaitAsync(StartTimeout, cancellationToken);
        return App;
    }

    /// <summary>
    /// Waits until none of the app's processes is left, or the timeout has passed; returns what is left. Stopping waits
    /// for the orchestrator's cleanup, but a service outlives its <c>dotnet run</c> by as long as its own shutdown takes.
    /// </summary>
    public async Task<IReadOnlyList<(int Pid, string Command)>> WaitForNoProcessAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var left = Processes();
        while (left.Count > 0 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            left = Processes();
        }

        return left;
    }

    /// <summary>Stops every resource and waits for the orchestrator's cleanup, as disposing does; the data folder stays.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        // Aspire.Hosting.Testing lets the AppHost's Main go on when a builder that was never built is disposed: its
        // start then opens the local cluster (creating the data folder) after this host has gone. Built here instead,
        // the folder is made now and goes with the host.
        if (App is null && Builder.Resources.OfType<LocalPostgresServerResource>().Any())
        {
            await BuildUntilBeforeStartAsync(CancellationToken.None);
        }

        await (App is not null ? App.DisposeAsync() : Builder.DisposeAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        // An app that was never started never stops, and so never lets go of the local cluster it opened at start.
        foreach (var server in Builder.Resources.OfType<LocalPostgresServerResource>())
        {
            server.Cluster.Dispose();
        }

        // A test that failed or timed out half way must still leave nothing running.
        await KillLeftoversAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private void MarkProcesses()
    {
        foreach (var resource in Builder.Resources.Where(r => r is ProjectResource or ExecutableResource).Cast<IResourceWithEnvironment>())
        {
            Builder.CreateResourceBuilder(resource).WithEnvironment(MarkerVariable, Marker);
        }
    }

    /// <summary>
    /// The three services left to be started by hand (Aspire's explicit start): a test of the schema loop's databases
    /// spends no start on three web processes it never calls, on a machine of two cores.
    /// </summary>
    private void HoldServicesBack()
    {
        foreach (var name in (string[])[ResourceNames.Auth, ResourceNames.Backend, ResourceNames.Frontend])
        {
            Builder.CreateResourceBuilder(Resource(name)).WithExplicitStart();
        }
    }

    /// <summary>
    /// Without a dashboard, Aspire points the services' OTLP exporters at the launch profile's dashboard address: at
    /// nothing, where each service then spends its exporter's whole timeout at shutdown trying to flush, or at a
    /// developer's F5 dashboard.
    /// An empty endpoint turns the exporter off (see ServiceDefaults).
    /// </summary>
    private void ExportNoTelemetry()
    {
        foreach (var project in Builder.Resources.OfType<ProjectResource>())
        {
            Builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }
    }

    private async Task KillLeftoversAsync()
    {
        foreach (var (pid, _) in await WaitForNoProcessAsync(CleanupTimeout, CancellationToken.None))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // gone meanwhile
            }
        }
    }

    /// <summary>Its own passwords, pgAdmin off, a developer's ConnectionStrings:appdb blanked, the mode and data folder asked for.</summary>
    private static string[] Arguments(PostgresMode mode, string dataDirectory) =>
    [
        "--ConnectionStrings:appdb=",
        "--DevLauncher:PgAdmin=false",
        $"--{PostgresSettings.ModeKey}={mode}",
        $"--{PostgresSettings.DataDirectoryKey}={dataDirectory}",
        "--Parameters:postgres-password=apphost-tests-postgres-password",
        $"--Parameters:service-password={ServicePassword}",
    ];

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), $"devlauncher-apphost-{Guid.NewGuid():N}");

    private static string[] DashboardArguments() =>
    [
        $"--ASPNETCORE_URLS=http://localhost:{FreePort.Next()}",
        $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
        $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
    ];

    /// <summary>
    /// Since Aspire 13.6 a persistent lifetime is two annotations; <c>WithLifetime(Session)</c> replaces both, and the
    /// volume goes too, so each test migrates an empty database.
    /// </summary>
    private void ForgetContainerPersistence()
    {
        if (Builder.Resources.OfType<PostgresServerResource>().SingleOrDefault() is not { } postgres)
        {
            return;
        }

        Builder.CreateResourceBuilder(postgres).WithLifetime(ContainerLifetime.Session);
        foreach (var volume in postgres.Annotations.OfType<ContainerMountAnnotation>().ToList())
        {
            postgres.Annotations.Remove(volume);
        }
    }
}
