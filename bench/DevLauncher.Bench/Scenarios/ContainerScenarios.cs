using System.Diagnostics;
using DevLauncher.Bench.Infrastructure;

namespace DevLauncher.Bench.Scenarios;

/// <summary>
/// Scenario "container": the AppHost as the README's run command starts it, with PostgreSQL in a container (the local
/// image, <c>scripts/container-engine.sh</c>) beside the machine's own programs, in the same run. A cold start has the
/// image but no container or volume; a warm start finds the persistent container Aspire kept. Then Reset database
/// through the Aspire CLI, until the three services are healthy again, on each.
/// </summary>
public sealed class ContainerScenarios(string root, string configuration, Report report, int iterations)
{
    private const string Image = "devlauncher/postgres:15-bookworm";
    private const string Scenario = "container vs local";
    private static readonly TimeSpan DockerTimeout = TimeSpan.FromMinutes(1);
    private readonly string _container = $"devlauncher-bench-{Guid.NewGuid():N}"[..30];

    /// <summary>Both measurements, or one line saying why not when the engine or the image is missing.</summary>
    public async Task RunAsync()
    {
        if (await MissingImageAsync() is { } reason)
        {
            report.Note(Scenario, "skipped", reason);
            return;
        }

        await StartsAsync();
        await ResetsAsync();
    }

    private async Task StartsAsync()
    {
        var (localCold, localWarm, containerCold, containerWarm) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        using var data = TemporaryFolder.Named("devlauncher-bench-container");
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                data.Delete();
                localCold.Add((await RunningAppHost.StartAndStopAsync(root, configuration, data.Path)).Start);
                localWarm.Add((await RunningAppHost.StartAndStopAsync(root, configuration, data.Path)).Start);
                await RemoveContainerAsync();
                containerCold.Add((await RunningAppHost.StartAndStopAsync(root, configuration, data.Path, ContainerSettings())).Start);
                containerWarm.Add((await RunningAppHost.StartAndStopAsync(root, configuration, data.Path, ContainerSettings())).Start);
            }
        }
        finally
        {
            await RemoveContainerAsync();
        }

        ReportStarts(localCold, localWarm, containerCold, containerWarm);
    }

    private async Task ResetsAsync()
    {
        try
        {
            var local = await ResetAsync("Reset, local: reset-database until all three /health answer 200", settings: null);
            var container = await ResetAsync("Reset, container: reset-database until all three /health answer 200", ContainerSettings());
            report.Add(Scenario, local);
            report.Add(Scenario, container, Report.Ratio(container, local));
        }
        finally
        {
            await RemoveContainerAsync();
        }
    }

    private async Task<Sample> ResetAsync(string name, IReadOnlyList<string>? settings)
    {
        await using var apphost = await RunningAppHost.StartAsync(root, configuration, settings: settings);
        await ResetOnceAcceptedAsync(apphost);
        return await Measure.RepeatAsync(name, iterations, async _ =>
        {
            var clock = Stopwatch.StartNew();
            await AspireCli.RunCommandAsync("appdb", "reset-database");
            await apphost.WaitHealthyAsync();
            return clock.Elapsed.TotalMilliseconds;
        });
    }

    /// <summary>
    /// Once the services are up, the start builds Reset's template with the worker, and Reset is refused while the
    /// worker runs: the first Reset, not measured, is asked again until it is accepted.
    /// </summary>
    private async Task ResetOnceAcceptedAsync(RunningAppHost apphost)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await AspireCli.RunCommandAsync("appdb", "reset-database");
                await apphost.WaitHealthyAsync();
                return;
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("is running", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private void ReportStarts(List<double> localCold, List<double> localWarm, List<double> containerCold, List<double> containerWarm)
    {
        var (lc, lw) = (new Sample("cold start, local: initdb, to all healthy", localCold), new Sample("warm start, local", localWarm));
        var (cc, cw) = (new Sample("cold start, container: image present, no container", containerCold), new Sample("warm start, container: kept container", containerWarm));
        report.Add(Scenario, lc);
        report.Add(Scenario, cc, Report.Ratio(cc, lc));
        report.Add(Scenario, lw);
        report.Add(Scenario, cw, Report.Ratio(cw, lw));
    }

    private string[] ContainerSettings() =>
        ["--DevLauncher:Postgres:Mode=container", $"--DevLauncher:Postgres:Image={Image}", $"--DevLauncher:Postgres:ContainerName={_container}"];

    /// <summary>The container and its volume (<c>&lt;name&gt;-data</c>), which Aspire keeps for the next run: a cold start has neither.</summary>
    private async Task RemoveContainerAsync()
    {
        await DockerAsync("rm", "--force", "--volumes", _container);
        await DockerAsync("volume", "rm", "--force", $"{_container}-data");
    }

    private static Task<CommandResult> DockerAsync(params string[] arguments) =>
        CommandRun.RunAsync("docker", arguments, RepositoryPaths.Root, new Dictionary<string, string>(), DockerTimeout);

    private static async Task<string?> MissingImageAsync()
    {
        try
        {
            var inspect = await DockerAsync("image", "inspect", Image);
            return inspect.ExitCode == 0 ? null : $"no {Image} ({inspect.StandardError.Trim()}): run `bash scripts/container-engine.sh start` first";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"no docker ({ex.Message}): run `bash scripts/container-engine.sh start` first";
        }
    }
}
