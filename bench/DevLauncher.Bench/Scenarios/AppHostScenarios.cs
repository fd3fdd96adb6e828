using System.Diagnostics;
using System.Globalization;
using DevLauncher.Bench.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;

namespace DevLauncher.Bench.Scenarios;

/// <summary>
/// Scenario 8: the AppHost as F5 and the README start it (<c>dotnet run</c> of the built AppHost, local PostgreSQL),
/// cold (a new data folder) and warm, to all three services healthy; beside the floor, the same processes (postgres,
/// the worker, the three services) started directly by the bench on the same warm cluster, in the same run. Then the
/// stop: SIGTERM to each, until every process has gone (the AppHost's dashboard included), against the same floor.
/// </summary>
public sealed class AppHostScenarios(string root, string configuration, Report report, int iterations)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public async Task StartAsync()
    {
        using var data = TemporaryFolder.Named("devlauncher-bench-apphost");
        var (cold, warm, floor) = (new List<double>(), new List<double>(), new List<double>());
        var (stop, floorStop) = (new List<double>(), new List<double>());
        for (var i = 0; i < iterations; i++)
        {
            data.Delete();
            cold.Add((await RunningAppHost.StartAndStopAsync(root, configuration, data.Path)).Start);
            var (warmStart, warmStop) = await RunningAppHost.StartAndStopAsync(root, configuration, data.Path);
            warm.Add(warmStart);
            stop.Add(warmStop);
            var (directStart, directStop) = await DirectRunAsync(data.Path);
            floor.Add(directStart);
            floorStop.Add(directStop);
        }

        var floorSample = new Sample("floor: the same processes started directly (warm cluster)", floor);
        var warmSample = new Sample("warm: dotnet run of the AppHost to all healthy", warm);
        report.Add("8. AppHost start", new Sample("cold: dotnet run of the AppHost, initdb, to all healthy", cold));
        report.Add("8. AppHost start", warmSample, Report.Ratio(warmSample, floorSample), "≤ 1.5x the floor");
        report.Add("8. AppHost start", floorSample);

        var floorStopSample = new Sample("floor: SIGTERM to the services, then to postgres, each until gone", floorStop);
        var stopSample = new Sample("SIGTERM to the AppHost until it, the services, PostgreSQL and the proxies are gone", stop);
        report.Add("8. AppHost stop", stopSample, Report.Ratio(stopSample, floorStopSample));
        report.Add("8. AppHost stop", floorStopSample);
    }

    /// <summary>
    /// postgres, then the worker to completion, then the three services at once, each as its own process, to all healthy;
    /// then the services stopped one by one, and postgres.
    /// </summary>
    private async Task<(double Start, double Stop)> DirectRunAsync(string dataDirectory)
    {
        var cluster = new PostgresCluster(dataDirectory);
        var port = FreePort.Next();
        // The branch's database, which the AppHost's runs made on this cluster (appdb_main on main), not appdb.
        var database = DevLauncher.SchemaLoop.DevDatabaseNames.ForHead("appdb", DevLauncher.SchemaLoop.GitCheckout.ReadHead(root));
        var owner = $"Host=127.0.0.1;Port={port};Username=postgres;Password={cluster.EnsureSuperUserPassword()};Database={database}";
        var (program, arguments) = cluster.ForegroundServerCommand([new("port", port.ToString(CultureInfo.InvariantCulture))]);
        var clock = Stopwatch.StartNew();
        await using var postgres = ChildProcess.Start(program, arguments, new Dictionary<string, string?>());
        var services = new List<ChildProcess>();
        double started;
        try
        {
            await WaitForServerAsync(owner);
            await using (var worker = new WorkerProcess(ServicePassword: RunningAppHost.ServicePassword).Start(owner))
            {
                await worker.WaitForExitAsync(Deadline);
            }

            services.AddRange(StartServices($"Host=127.0.0.1;Port={port};Username={ServiceRole.Name};Password={RunningAppHost.ServicePassword};Database={database}"));
            await HealthPolling.WaitAsync([RunningAppHost.Auth, RunningAppHost.Backend, RunningAppHost.Frontend], postgres, Deadline);
            started = clock.Elapsed.TotalMilliseconds;
        }
        finally
        {
            clock.Restart();
            foreach (var process in services.Append(postgres))
            {
                await StopAsync(process);
            }
        }

        return (started, clock.Elapsed.TotalMilliseconds);
    }

    private IEnumerable<ChildProcess> StartServices(string connectionString)
    {
        yield return StartService("Auth", connectionString, RunningAppHost.Auth, []);
        yield return StartService("Backend", connectionString, RunningAppHost.Backend, [("services__auth__http__0", RunningAppHost.Auth)]);
        yield return StartService("Frontend", connectionString, RunningAppHost.Frontend,
            [("services__auth__http__0", RunningAppHost.Auth), ("services__backend__http__0", RunningAppHost.Backend)]);
    }

    private ChildProcess StartService(string service, string connectionString, string url, IEnumerable<(string Key, string Value)> settings)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__appdb"] = connectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = url,
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return ChildProcess.Start("dotnet", [Dll(service)], environment);
    }

    private string Dll(string service) => Path.Combine(root, "services", service, "bin", configuration, "net10.0", $"DevLauncher.{service}.dll");

    private static async Task WaitForServerAsync(string connectionString)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (Npgsql.NpgsqlException) when (clock.Elapsed < Deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    private static async Task StopAsync(ChildProcess process)
    {
        if (!process.HasExited)
        {
            await process.SignalAsync("TERM");
        }

        await process.WaitForExitAsync(Deadline);
        await process.DisposeAsync();
    }

}
