using System.Diagnostics;
using System.Net.Sockets;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.LocalPostgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Stopping the app, as closing F5 or disposing it in a test does: the services go first, then PostgreSQL shuts down
/// cleanly; nothing the app started is left running and no port stays open.
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class StopTests
{
    private const string Postgres = "bin/postgres";
    private static readonly string[] Services = ["DevLauncher.Auth", "DevLauncher.Backend", "DevLauncher.Frontend"];
    private static readonly string[] Programs = [.. Services, Postgres];

    [Fact]
    public async Task Stopping_the_app_stops_the_services_before_postgres_which_shuts_down_cleanly_and_leaves_no_process_or_port()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Local: PostgreSQL is then a process of the app's own, on a data folder the test can read afterwards. With the
        // dashboard, as F5 runs: the services export to it until they stop.
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken, dashboard: true);
        var app = await host.StartAsync(cancellationToken);
        await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);
        var endpoints = await AppEndpoints.OfAsync(app, cancellationToken);
        var running = host.Processes().Select(p => p.Command).ToList();
        Assert.All(Programs, program => Assert.Contains(running, c => c.Contains(program, StringComparison.Ordinal)));

        var exits = ProgramExits.Watch(host, Programs);
        await host.StopAsync();

        // Only a process that never goes is left behind; one still finishing its shutdown is not.
        var left = await host.WaitForNoProcessAsync(AppResources.WaitTimeout, cancellationToken);
        Assert.True(left.Count == 0, $"Still running after the app stopped: {string.Join("; ", left)}");
        // Every process of a service, its dotnet run included, has gone before PostgreSQL: no service loses its
        // database while it still serves or closes its connections.
        var exited = await exits.StopAsync();
        Assert.All(Services, service => Assert.True(exited[service] <= exited[Postgres], $"{service} exited after PostgreSQL: {ProgramExits.Describe(exited)}"));
        foreach (var service in new[] { endpoints.Frontend, endpoints.Auth, endpoints.Backend })
        {
            Assert.False(await IsListeningAsync(new Uri(service), cancellationToken), $"{service} still accepts connections");
        }

        // A server that was killed rather than shut down would say "in production", and the next start would recover.
        Assert.Contains("Database cluster state:               shut down", await ControlDataAsync(host.DataDirectory, cancellationToken), StringComparison.Ordinal);
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
