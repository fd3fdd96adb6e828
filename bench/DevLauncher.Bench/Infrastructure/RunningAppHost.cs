using System.Diagnostics;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>
/// The whole system as the README starts it: <c>dotnet run</c> of the built AppHost with its http launch profile (the
/// services on their launch ports), PostgreSQL from the machine's programs in a data folder of its own. Disposing
/// stops it with SIGTERM, waits until every service process has gone and PostgreSQL has let go of the folder, and
/// deletes it.
/// </summary>
public sealed class RunningAppHost : IAsyncDisposable
{
    public const string Frontend = "http://localhost:5100";
    public const string Auth = "http://localhost:5101";
    public const string Backend = "http://localhost:5102";

    /// <summary>The service role's password, given to the AppHost as its parameter so that a peer can log in as the services do.</summary>
    public const string ServicePassword = "bench-service-password";

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private readonly ChildProcess _dotnetRun;
    private readonly string _dataDirectory;
    private readonly bool _keepData;
    private readonly string _services;

    private RunningAppHost(ChildProcess dotnetRun, string dataDirectory, bool keepData, string root)
    {
        _dotnetRun = dotnetRun;
        _dataDirectory = dataDirectory;
        _keepData = keepData;
        _services = Path.Combine(root, "services") + Path.DirectorySeparatorChar;
    }

    /// <param name="dataDirectory">A cluster to keep for the next start (a warm start); null for one deleted on dispose.</param>
    /// <param name="settings">More of the AppHost's settings, as <c>--Key=Value</c> arguments.</param>
    public static async Task<RunningAppHost> StartAsync(string root, string configuration, string? dataDirectory = null, IReadOnlyList<string>? settings = null)
    {
        var keepData = dataDirectory is not null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), $"devlauncher-bench-system-{Guid.NewGuid():N}");
        var project = Path.Combine(root, "DevLauncher.AppHost", "DevLauncher.AppHost.csproj");
        var dotnetRun = ChildProcess.Start("dotnet", ["run", "--project", project, "--no-build", "-c", configuration, "--launch-profile", "http", "--",
            "--ConnectionStrings:appdb=", "--DevLauncher:Postgres:Mode=local", $"--DevLauncher:Postgres:DataDirectory={dataDirectory}",
            $"--Parameters:service-password={ServicePassword}", .. settings ?? []], new Dictionary<string, string?>());
        var apphost = new RunningAppHost(dotnetRun, dataDirectory, keepData, root);
        try
        {
            await apphost.WaitHealthyAsync();
            return apphost;
        }
        catch
        {
            await apphost.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// From <c>dotnet run</c> to the three services' /health answering 200; then from SIGTERM until the AppHost and
    /// every service process have exited, PostgreSQL has let go of its folder and the launch ports are free.
    /// </summary>
    public static async Task<(double Start, double Stop)> StartAndStopAsync(string root, string configuration, string dataDirectory, IReadOnlyList<string>? settings = null)
    {
        var clock = Stopwatch.StartNew();
        var apphost = await StartAsync(root, configuration, dataDirectory, settings);
        var started = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        await apphost.DisposeAsync();
        return (started, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Until the three services' /health answer 200; the AppHost's exit ends the wait with an error.</summary>
    public Task WaitHealthyAsync() => HealthPolling.WaitAsync([Auth, Backend, Frontend], _dotnetRun, Deadline);

    public async ValueTask DisposeAsync()
    {
        if (!_dotnetRun.HasExited)
        {
            await _dotnetRun.SignalAsync("TERM");
        }

        await _dotnetRun.WaitForExitAsync(Deadline);
        await _dotnetRun.DisposeAsync();
        // DCP stops the rest once the AppHost has gone: the folder is free when PostgreSQL's pid file has gone, and the
        // launch ports (which the next scenario binds again) when DCP's proxies have. A service may still be shutting
        // down after both.
        var pidFile = Path.Combine(_dataDirectory, "data", "postmaster.pid");
        var clock = Stopwatch.StartNew();
        while ((File.Exists(pidFile) || IsListening(Auth) || IsListening(Backend) || IsListening(Frontend) || ServiceProcessLeft()) && clock.Elapsed < Deadline)
        {
            await Task.Delay(100);
        }

        if (!_keepData && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>Whether a process runs from the services' folder: a service, or the <c>dotnet run</c> DCP started for it.</summary>
    private bool ServiceProcessLeft() => ProcessTable.WithCommandLine(_services).Count > 0;

    private static bool IsListening(string url)
    {
        var uri = new Uri(url);
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            client.Connect(uri.Host, uri.Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
