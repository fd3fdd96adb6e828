using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests.Container;

/// <summary>
/// Container mode when Docker's client is installed but no engine answers it (its daemon stopped, or a socket that is
/// gone), run as the README's run command: exit code 2 and one line, before anything starts.
/// </summary>
[Collection(ContainerApps.Name)]
[Trait("Requires", "Docker")]
public sealed class NoEngineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_start_with_no_engine_answering_ends_with_one_line_and_exit_code_2()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await DockerEngine.RequireAsync(cancellationToken);
        await using var apphost = AppHostProcess.Start(
            new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/devlauncher-no-engine.sock" },
            ["--ConnectionStrings:appdb=", $"--{PostgresSettings.ModeKey}=container", $"--{PostgresContainer.ImageKey}={DockerEngine.Image}",
             $"--{PostgresContainer.NameKey}={DockerEngine.NewContainerName()}", .. AppHostArguments.RandomPorts]);

        Assert.True(await apphost.WaitForExitAsync(Timeout, cancellationToken), apphost.Output);
        Assert.Equal((2, "DevLauncher:Postgres:Mode is container, but the container runtime (docker) does not answer: start it, or set DevLauncher:Postgres:Mode to local or auto."),
            (apphost.ExitCode, Assert.Single(apphost.OutputLines)));
    }
}
