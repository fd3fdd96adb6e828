using System.Diagnostics;
using System.Net.Sockets;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Hosting.Postgres;
using DevLauncher.LocalPostgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Stopping the app, as closing F5 or disposing it in a test does: the services go first, then PostgreSQL shuts down
/// cleanly; nothing the app started is left running and no port stays open. One stop, watched (a class fixture).
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class StopTests(StopTests.Stop stop) : IClassFixture<StopTests.Stop>
{
    private const string Postgres = "bin/postgres";
    private static readonly string[] Services = ["DevLauncher.Auth", "DevLauncher.Backend", "DevLauncher.Frontend"];
    private static readonly string[] Programs = [.. Services, Postgres];

    [Fact]
    public void Nothing_the_app_started_is_left_running() =>
        Assert.True(stop.Left.Count == 0, $"Still running after the app stopped: {string.Join("; ", stop.Left)}");

    [Fact]
    public void Every_service_exits_before_postgres() =>
        // Every process of a service, its dotnet run included: no service loses its database while it still serves or closes its connections.
        Assert.All(Services, service => Assert.True(stop.Exited[service] <= stop.Exited[Postgres], $"{service} exited after PostgreSQL: {ProgramExits.Describe(stop.Exited)}"));

    [Fact]
    public void No_service_port_stays_open() =>
        Assert.Empty(stop.Listening);

    [Fact]
    public void Postgres_shuts_down_cleanly() =>
        // A server that was killed rather than shut down would say "in production", and the next start would recover.
        Assert.Contains("Database cluster state:               shut down", stop.ControlData, StringComparison.Ordinal);

    /// <summary>
    /// The app in local mode, so PostgreSQL is a process of its own on a data folder the test reads afterwards, with the
    /// dashboard, as F5 runs it (the services export to it until they stop); then stopped.
    /// </summary>
    public sealed class Stop : AppScenario
    {
        public IReadOnlyList<(int Pid, string Command)> Left { get; private set; } = [];

        public IReadOnlyDictionary<string, long> Exited { get; private set; } = new Dictionary<string, long>();

        public IReadOnlyList<string> Listening { get; private set; } = [];

        public string ControlData { get; private set; } = "";

        protected override async Task RunAsync(CancellationToken cancellationToken)
        {
            var host = Own(await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken, dashboard: true));
            await host.StartAsync(cancellationToken);
            await AppResources.WaitForServicesHealthyAsync(App, cancellationToken);
            var endpoints = await AppEndpoints.OfAsync(App, cancellationToken);
            var running = host.Processes().Select(p => p.Command).ToList();
            Assert.All(Programs, program => Assert.Contains(running, c => c.Contains(program, StringComparison.Ordinal)));

            var exits = ProgramExits.Watch(host, Programs);
            await host.StopAsync();
            // Only a process that never goes is left behind; one still finishing its shutdown is not.
            Left = await host.WaitForNoProcessAsync(AppResources.WaitTimeout, cancellationToken);
            Exited = await exits.StopAsync();
            Listening = await ListeningAsync([endpoints.Frontend, endpoints.Auth, endpoints.Backend], cancellationToken);
            ControlData = await ControlDataAsync(host.DataDirectory, cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<string>> ListeningAsync(IEnumerable<string> services, CancellationToken cancellationToken)
    {
        var listening = new List<string>();
        foreach (var service in services)
        {
            if (await IsListeningAsync(new Uri(service), cancellationToken))
            {
                listening.Add(service);
            }
        }

        return listening;
    }

    private static async Task<bool> IsListeningAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>What pg_controldata says about the cluster the app ran, its state among it.</summary>
    private static async Task<string> ControlDataAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(PostgresBinaries.Find(), "pg_controldata"), [Path.Combine(dataDirectory, "data")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["LC_ALL"] = "C" },
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("pg_controldata did not start");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken) + await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return output;
    }
}
