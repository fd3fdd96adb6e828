using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The real AppHost, built as if its project were in another folder: <see cref="DistributedApplicationOptions.ProjectDirectory"/>
/// is what Aspire makes <c>builder.AppHostDirectory</c>, so every default the AppHost derives from its checkout (the
/// local server's data folder, <c>&lt;checkout&gt;/.devlauncher/postgres</c>) follows it, while its projects still run
/// from this checkout. Local mode, no data folder set, no dashboard. <see cref="TestAppHost"/> cannot set the project
/// folder and always sets a data folder; this is its sibling for the tests of the default folder.
/// </summary>
public sealed class RelocatedAppHost : IAsyncDisposable
{
    private static readonly TimeSpan CleanupPatience = TimeSpan.FromSeconds(30);

    private RelocatedAppHost(IDistributedApplicationTestingBuilder builder) => Builder = builder;

    public IDistributedApplicationTestingBuilder Builder { get; }

    public DistributedApplication? App { get; private set; }

    public string Marker { get; } = $"apphost-test-{Guid.NewGuid():N}";

    /// <param name="appHostDirectory">Where the AppHost's project is taken to be: <c>&lt;checkout&gt;/DevLauncher.AppHost</c>.</param>
    public static async Task<RelocatedAppHost> CreateAsync(string appHostDirectory, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "--ConnectionStrings:appdb=",
            "--DevLauncher:PgAdmin=false",
            $"--{PostgresSettings.ModeKey}=local",
            $"--Parameters:service-password={TestAppHost.ServicePassword}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DevLauncher_AppHost>(
                arguments, (options, _) => options.ProjectDirectory = appHostDirectory, cancellationToken)
            .WaitAsync(TestAppHost.StartTimeout, cancellationToken);
        var host = new RelocatedAppHost(builder);
        host.MarkProcessesWithoutTelemetry();
        return host;
    }

    public async Task<DistributedApplication> StartAsync(CancellationToken cancellationToken)
    {
        App = await Builder.BuildAsync(cancellationToken).WaitAsync(TestAppHost.StartTimeout, cancellationToken);
        await App.StartAsync(cancellationToken).WaitAsync(TestAppHost.StartTimeout, cancellationToken);
        return App;
    }

    public async ValueTask DisposeAsync()
    {
        await (App is null ? Builder.DisposeAsync() : App.DisposeAsync());
        await MarkedProcesses.EndAsync(() => ProcessTable.WithEnvironment($"{TestAppHost.MarkerVariable}={Marker}"), CleanupPatience);
    }

    /// <summary>The marker on every process, so none goes unseen; no OTLP exporter aimed at a dashboard that is not there.</summary>
    private void MarkProcessesWithoutTelemetry()
    {
        foreach (var resource in Builder.Resources.Where(r => r is ProjectResource or ExecutableResource).Cast<IResourceWithEnvironment>())
        {
            var resourceBuilder = Builder.CreateResourceBuilder(resource).WithEnvironment(TestAppHost.MarkerVariable, Marker);
            if (resource is ProjectResource)
            {
                resourceBuilder.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
            }
        }
    }
}
