using System.Diagnostics;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.SchemaLoop;

namespace DevLauncher.AppHost.Tests.Consumer;

/// <summary>
/// The expensive part, once for the collection: pack, write and build the consumer's solution, start its AppHost
/// (<c>dotnet run</c>, local mode on a data folder of its own) and wait through the Aspire CLI for its API to be healthy.
/// </summary>
public sealed class ConsumerApp : IAsyncLifetime
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(5);
    private readonly TemporaryFolder _root = TemporaryFolder.Named("devlauncher-consumer");
    private readonly KeptDataFolder _data = new();
    private readonly Stopwatch _elapsed = new();
    private ConsumerSolution? _solution;
    private AppHostProcess? _apphost;

    internal ConsumerSolution Solution => _solution ?? throw new InvalidOperationException("The consumer is not written yet.");

    internal AppHostProcess AppHost => _apphost ?? throw new InvalidOperationException("The consumer's AppHost has not started.");

    /// <summary>The schema history's rows when the API first turned healthy.</summary>
    public long HistoryAtStart { get; private set; }

    public string Database => _data.ConnectionString(DevDatabaseNames.ForBranch("appdb", "main"));

    public async ValueTask InitializeAsync()
    {
        _elapsed.Start();
        Directory.CreateDirectory(_root.Path);
        _solution = ConsumerSolution.In(_root.Path);
        await Step("pack", _solution.PackAsync());
        _solution.Write();
        await Step("build", _solution.BuildAsync());
        _apphost = AppHostProcess.StartDotnet(_solution.Solution, Environment(), Arguments());
        await Step("wait", WaitForApiAsync());
        HistoryAtStart = await Sql.ScalarAsync<long>(Database, "SELECT count(*) FROM devlauncher.schema_history", CancellationToken.None);
        Log($"consumer ready after {_elapsed.Elapsed.TotalSeconds:0} s");
    }

    public Task<CommandResult> CliAsync(params string[] command) => AspireCli.RunAsync(command, appHost: Solution.AppHostProject);

    public async ValueTask DisposeAsync()
    {
        if (_apphost is { } apphost)
        {
            apphost.Signal("TERM");
            await apphost.WaitForExitAsync(StopTimeout, CancellationToken.None);
            await apphost.DisposeAsync();
        }

        Log($"consumer test took {_elapsed.Elapsed.TotalSeconds:0} s");
        _data.Dispose();
        _root.Dispose();
    }

    private async Task WaitForApiAsync()
    {
        var deadline = Stopwatch.StartNew();
        var wait = await CliAsync("wait", "api", "--status", "healthy", "--timeout", "300");
        // Until the AppHost opens its socket the CLI finds no AppHost and says so at once: ask again while it runs.
        while (wait.ExitCode != 0 && deadline.Elapsed < WaitTimeout && !await AppHost.WaitForExitAsync(TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            wait = await CliAsync("wait", "api", "--status", "healthy", "--timeout", "300");
        }

        Assert.True(wait.ExitCode == 0, $"{wait}{System.Environment.NewLine}{AppHost.Output}");
    }

    private static async Task Step(string name, Task<CommandResult> step)
    {
        var result = await step;
        Log($"{name}: exit code {result.ExitCode} after {result.Elapsed.TotalSeconds:0} s");
        Assert.True(result.ExitCode == 0, $"{name}: {result}");
    }

    private async Task Step(string name, Task step)
    {
        var started = _elapsed.Elapsed;
        await step;
        Log($"{name}: {(_elapsed.Elapsed - started).TotalSeconds:0} s");
    }

    private static void Log(string line) => TestContext.Current.SendDiagnosticMessage(line);

    private string[] Arguments() =>
    [
        "run", "--project", Solution.AppHostProject, "--no-build", "--no-launch-profile", "--",
        "--DevLauncher:Postgres:Mode=local",
        _data.Argument,
        "--Parameters:service-password=consumer-test-service-password",
        "--DcpPublisher:RandomizePorts=true",
    ];

    private static Dictionary<string, string> Environment() => new()
    {
        ["ASPNETCORE_URLS"] = $"http://localhost:{FreePort.Next()}",
        ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
        ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
        ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
    };

}

/// <summary>The packed-consumer tests: one consumer app for all of them, apart from the tests of this repository's AppHost.</summary>
[CollectionDefinition(Name)]
public sealed class OneConsumerApp : ICollectionFixture<ConsumerApp>
{
    public const string Name = "Consumer";
}
