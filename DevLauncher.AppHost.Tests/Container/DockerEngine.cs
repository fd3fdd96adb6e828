namespace DevLauncher.AppHost.Tests.Container;

/// <summary>
/// The Docker engine and the local PostgreSQL image the container tests run on. Without them a test fails with the
/// command that sets them up: CI runs these tests, and a silent skip would hide that container mode went untested.
/// </summary>
internal static class DockerEngine
{
    /// <summary>The image <c>scripts/container-engine.sh</c> builds (PostgreSQL 15 from Debian bookworm's packages).</summary>
    public const string Image = "devlauncher/postgres:15-bookworm";

    public const string SetUp = "bash scripts/container-engine.sh";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);

    public static async Task RequireAsync(CancellationToken cancellationToken)
    {
        var info = await DockerAsync(cancellationToken, "info", "--format", "{{.ServerVersion}}");
        Assert.True(info.ExitCode == 0, $"No Docker engine answers (docker info: {info.Text}): run `{SetUp}`.");
        var image = await DockerAsync(cancellationToken, "image", "inspect", Image);
        Assert.True(image.ExitCode == 0, $"The image {Image} is missing: run `{SetUp}`.");
    }

    /// <summary>A unique container name for a test, so that F5's persistent container and volume are never touched.</summary>
    public static string NewContainerName() => $"devlauncher-test-{Guid.NewGuid():N}"[..30];

    public static Task<CommandResult> DockerAsync(CancellationToken cancellationToken, params string[] arguments) =>
        CommandRun.RunAsync("docker", arguments, Environment.CurrentDirectory, new Dictionary<string, string>(), CommandTimeout)
            .WaitAsync(cancellationToken);

    /// <summary>The container's id and whether it runs, or null when there is none.</summary>
    public static async Task<(string Id, bool Running)?> InspectAsync(string name, CancellationToken cancellationToken)
    {
        var result = await DockerAsync(cancellationToken, "container", "inspect", name, "--format", "{{.Id}} {{.State.Running}}");
        return result.ExitCode == 0 && result.StandardOutput.Trim().Split(' ') is [var id, var running] ? (id, running == "true") : null;
    }

    /// <summary>Removes a test's container and its volume (<c>&lt;name&gt;-data</c>).</summary>
    public static async Task RemoveAsync(string name)
    {
        await DockerAsync(CancellationToken.None, "rm", "-f", "-v", name);
        await DockerAsync(CancellationToken.None, "volume", "rm", "-f", $"{name}-data");
    }
}

/// <summary>The container tests: one at a time, and not beside the other tests that start the app (a small machine).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerApps
{
    public const string Name = "Container";
}

/// <summary>Removes a test's container and volume when its scenario is disposed.</summary>
internal sealed class TestContainer(string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public ValueTask DisposeAsync() => new(DockerEngine.RemoveAsync(Name));
}
