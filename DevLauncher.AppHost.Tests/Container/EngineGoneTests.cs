using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests.Container;

/// <summary>
/// The container engine killed while the app runs in container mode: one terminal line names it and says what to do,
/// and one more, when it answers again, says to run the AppHost again (the engine stopped the container). The test kills only a dockerd that <c>scripts/container-engine.sh</c>
/// started (its pid file), as CI's is, and starts it again with the same script: a developer's Docker is not touched.
/// </summary>
[Collection(ContainerApps.Name)]
[Trait("Requires", "Docker")]
public sealed class EngineGoneTests
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Dockerd_killed_while_the_app_runs_is_one_line_that_says_what_to_do_and_one_when_it_is_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await DockerEngine.RequireAsync(cancellationToken);
        var dockerd = ScriptsDockerd() ?? throw new InvalidOperationException(
            $"This test kills dockerd, and only one that `{DockerEngine.SetUp} start` started (its pid file is missing or stale): run that first.");
        await using var container = new TestContainer(DockerEngine.NewContainerName());
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Container, cancellationToken, services: false,
            extra: [$"--{PostgresContainer.ImageKey}={DockerEngine.Image}", $"--{PostgresContainer.NameKey}={container.Name}"]);
        var terminal = TerminalCapture.Replace(host.Builder);
        await MigrationsOnDashboard.WaitForRunAsync(await host.StartAsync(cancellationToken), 1, cancellationToken);

        await KillAsync(dockerd, cancellationToken);
        var gone = await terminal.WaitForLineAsync(l => l.Contains("stopped answering", StringComparison.Ordinal), LineTimeout, cancellationToken);
        await StartEngineAsync(cancellationToken);
        var back = await terminal.WaitForLineAsync(l => l.Contains("answers again", StringComparison.Ordinal), LineTimeout, cancellationToken);

        Assert.Contains(DockerEngine.SetUp + " start", gone, StringComparison.Ordinal);
        Assert.Single(terminal.Lines, l => l.Contains("stopped answering", StringComparison.Ordinal));
        Assert.StartsWith("The container engine (docker) answers again", back, StringComparison.Ordinal);
        Assert.Contains("run it again", back, StringComparison.Ordinal);
    }

    /// <summary>The pid in the script's pid file, while that process runs.</summary>
    private static int? ScriptsDockerd()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        var pidFile = Path.Combine(state, "devlauncher", "container-engine", "dockerd.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && Directory.Exists($"/proc/{pid}") ? pid : null;
    }

    private static async Task KillAsync(int pid, CancellationToken cancellationToken)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
        await process.WaitForExitAsync(cancellationToken);
    }

    private static async Task StartEngineAsync(CancellationToken cancellationToken)
    {
        var start = await CommandRun.RunAsync("bash", ["scripts/container-engine.sh", "start"], AspireCli.CheckoutRoot, new Dictionary<string, string>(), TimeSpan.FromMinutes(3))
            .WaitAsync(cancellationToken);
        Assert.True(start.ExitCode == 0, start.Text);
    }
}
