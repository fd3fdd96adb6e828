using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests;

/// <summary>The AppHost as the README's run command starts it: a process of its own, stopped by a signal.</summary>
[Collection(OneAppAtATime.Name)]
public sealed class RunCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Without_a_container_runtime_or_PostgreSQL_programs_the_AppHost_says_what_to_run_in_one_line_and_exits_2()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var apphost = AppHostProcess.Start(
            new Dictionary<string, string> { ["ASPIRE_CONTAINER_RUNTIME"] = "devlauncher-no-such-runtime" },
            "--ConnectionStrings:appdb=",
            $"--{PostgresSettings.BinDirectoryKey}=/nonexistent/postgresql/bin");

        Assert.True(await apphost.WaitForExitAsync(Timeout, cancellationToken), apphost.Output);
        Assert.Equal(2, apphost.ExitCode);
        var lines = apphost.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains(PostgresSettings.InstallCommand, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_stops_every_process_the_AppHost_started_PostgreSQL_included(string signal)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"devlauncher-run-{Guid.NewGuid():N}");
        try
        {
            await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(), RunArguments(dataDirectory));
            var started = await WaitForProcessesAsync(apphost, ["postgres", "DevLauncher.Auth", "DevLauncher.Backend", "DevLauncher.Frontend"], cancellationToken);
            Assert.True(started, $"Not every process started:{Environment.NewLine}{apphost.Output}");

            apphost.Signal(signal);
            Assert.True(await apphost.WaitForExitAsync(Timeout, cancellationToken), $"The AppHost did not stop:{Environment.NewLine}{apphost.Output}");
            // A clean stop, as scripts and process managers read it.
            Assert.True(apphost.ExitCode == 0, $"The AppHost exited with {apphost.ExitCode}:{Environment.NewLine}{apphost.Output}");
            // DCP watches the AppHost's process and, once it has exited, stops what it started: wait for that, then
            // nothing may be left.
            Assert.Empty(await WaitForNoProcessesAsync(apphost, cancellationToken));
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>Local PostgreSQL in a fresh folder, the http addresses and random ports, so it runs beside anything.</summary>
    private static string[] RunArguments(string dataDirectory) =>
    [
        "--ConnectionStrings:appdb=",
        $"--{PostgresSettings.ModeKey}=local",
        $"--{PostgresSettings.DataDirectoryKey}={dataDirectory}",
        "--Parameters:service-password=apphost-run-test-service-password",
        "--ASPNETCORE_URLS=http://localhost:0",
        "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:0",
        "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:0",
        "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        "--DcpPublisher:RandomizePorts=true",
    ];

    private static async Task<IReadOnlyList<(int Pid, string Command)>> WaitForNoProcessesAsync(AppHostProcess apphost, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var left = apphost.ProcessesWithMarker();
        while (left.Count > 0 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            left = apphost.ProcessesWithMarker();
        }

        return left;
    }

    private static async Task<bool> WaitForProcessesAsync(AppHostProcess apphost, string[] names, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        while (!deadline.IsCancellationRequested)
        {
            var commands = apphost.ProcessesWithMarker().Select(p => p.Command).ToList();
            if (names.All(name => commands.Any(c => c.Contains(name, StringComparison.Ordinal))))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }

        return false;
    }
}
