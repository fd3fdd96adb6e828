using System.Diagnostics;
using DevLauncher.Bench.Infrastructure;
using DevLauncher.EmbeddedPostgres;

namespace DevLauncher.Bench.Scenarios;

/// <summary>
/// Scenario 8: the AppHost as F5 and the README start it (<c>dotnet run</c> of the built AppHost, local PostgreSQL),
/// cold (a new data folder) and warm, to all three services healthy; beside the floor, the same processes (postgres,
/// the worker, the three services) started directly by the bench on the same warm cluster, in the same run.
/// </summary>
public sealed class AppHostScenarios(string root, string configuration, Report report, int iterations)
{
    private static readonly string[] HealthUrls = ["http://localhost:5101/health", "http://localhost:5102/health", "http://localhost:5100/health"];
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public async Task StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"devlauncher-bench-apphost-{Guid.NewGuid():N}");
        var (cold, warm, floor) = (new List<double>(), new List<double>(), new List<double>());
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                DeleteIfExists(dataDirectory);
                cold.Add(await AppHostStartAsync(dataDirectory));
                warm.Add(await AppHostStartAsync(dataDirectory));
                floor.Add(await DirectStartAsync(dataDirectory));
            }
        }
        finally
        {
            DeleteIfExists(dataDirectory);
        }

        var floorSample = new Sample("floor: the same processes started directly (warm cluster)", floor);
        var warmSample = new Sample("warm: dotnet run of the AppHost to all healthy", warm);
        report.Add("8. AppHost start", new Sample("cold: dotnet run of the AppHost, initdb, to all healthy", cold), "", "");
        report.Add("8. AppHost start", warmSample, Report.Ratio(warmSample, floorSample), "≤ 1.5x the floor");
        report.Add("8. AppHost start", floorSample);
    }

    /// <summary>From <c>dotnet run</c> to the three services' /health answering 200; then SIGTERM and wait for nothing left.</summary>
    private async Task<double> AppHostStartAsync(string dataDirectory)
    {
        var project = Path.Combine(root, "DevLauncher.AppHost", "DevLauncher.AppHost.csproj");
        var started = Stopwatch.GetTimestamp();
        using var apphost = Start("dotnet", ["run", "--project", project, "--no-build", "-c", configuration, "--launch-profile", "http", "--",
            "--ConnectionStrings:appdb=", "--DevLauncher:Postgres:Mode=local", $"--DevLauncher:Postgres:DataDirectory={dataDirectory}",
            "--Parameters:service-password=bench-service-password"]);
        try
        {
            await WaitHealthyAsync(apphost);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        finally
        {
            await StopAsync(apphost);
            await WaitUntilGoneAsync(dataDirectory);
        }
    }

    /// <summary>postgres, then the worker to completion, then the three services at once, each as its own process.</summary>
    private async Task<double> DirectStartAsync(string dataDirectory)
    {
        var cluster = new PostgresCluster(dataDirectory);
        var password = cluster.EnsureSuperUserPassword();
        var port = FreePort();
        var (program, arguments) = cluster.ForegroundServerCommand([new("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var owner = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=appdb";
        var service = $"Host=127.0.0.1;Port={port};Username=devlauncher_service;Password=bench-service-password;Database=appdb";
        var started = Stopwatch.GetTimestamp();
        using var postgres = Start(program, arguments);
        var services = new List<Process>();
        try
        {
            await WaitForServerAsync(owner);
            using (var worker = Start("dotnet", [Dll("services/Migrations", "DevLauncher.Migrations")],
                       ("ConnectionStrings__appdb", owner), ("Database__ServicePassword", "bench-service-password")))
            {
                await worker.WaitForExitAsync();
            }

            services.Add(StartService("Auth", 5101, service, []));
            services.Add(StartService("Backend", 5102, service, [("services__auth__http__0", "http://localhost:5101")]));
            services.Add(StartService("Frontend", 5100, service,
                [("services__auth__http__0", "http://localhost:5101"), ("services__backend__http__0", "http://localhost:5102")]));
            await WaitHealthyAsync(postgres);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        finally
        {
            foreach (var process in services)
            {
                await StopAsync(process);
                process.Dispose();
            }

            await StopAsync(postgres);
        }
    }

    private Process StartService(string name, int port, string connectionString, (string, string)[] environment) =>
        Start("dotnet", [Dll($"services/{name}", $"DevLauncher.{name}")],
        [
            ("ConnectionStrings__appdb", connectionString), ("ASPNETCORE_URLS", $"http://localhost:{port}"),
            ("ASPNETCORE_ENVIRONMENT", "Development"), .. environment,
        ]);

    private string Dll(string folder, string name) => Path.Combine(root, folder, "bin", configuration, "net10.0", name + ".dll");

    private static Process Start(string program, IEnumerable<string> arguments, params (string Key, string Value)[] environment)
    {
        var startInfo = new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthyAsync(Process owner)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp();
        foreach (var url in HealthUrls)
        {
            while (!await IsHealthyAsync(http, url))
            {
                if (owner.HasExited || Stopwatch.GetElapsedTime(deadline) > Deadline)
                {
                    throw new InvalidOperationException($"{url} did not become healthy (exit code {(owner.HasExited ? owner.ExitCode : null)})");
                }

                await Task.Delay(50);
            }
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitForServerAsync(string connectionString)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(connectionString.Replace("Database=appdb", "Database=postgres", StringComparison.Ordinal) + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException && Stopwatch.GetElapsedTime(deadline) < Deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync();
    }

    /// <summary>DCP stops what it started once the AppHost has gone; the next start needs the cluster free.</summary>
    private static async Task WaitUntilGoneAsync(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "data", "postmaster.pid");
        var deadline = Stopwatch.GetTimestamp();
        while (File.Exists(pidFile) && Stopwatch.GetElapsedTime(deadline) < Deadline)
        {
            await Task.Delay(100);
        }

        // The services' ports, which the next start binds again.
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
