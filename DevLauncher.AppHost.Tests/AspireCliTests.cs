using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The Aspire CLI (the checkout's local tool) against the running app, as a script or a developer's terminal uses it:
/// <c>aspire wait</c> for a resource's health, and <c>aspire resource</c> for the AppHost's own commands, against the
/// AppHost run as its own process (<see cref="CliRunningApp"/>); every command's output is in the test's output.
/// </summary>
[Collection(AspireCliApps.Name)]
public sealed class AspireCliTests : IClassFixture<CliRunningApp>
{
    [Fact]
    public async Task Wait_for_a_healthy_frontend_exits_0()
    {
        var wait = await AspireCli.RunAsync(["wait", ResourceNames.Frontend, "--status", "healthy", "--timeout", "300"]);

        Assert.True(wait.ExitCode == 0, wait.ToString());
        Assert.Contains($"Resource '{ResourceNames.Frontend}' is healthy.", wait.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_for_a_backend_that_cannot_become_healthy_exits_non_zero()
    {
        await EnsureHealthyAsync(ResourceNames.Backend);
        var stop = await AspireCli.RunAsync(["resource", ResourceNames.Backend, "stop"]);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        try
        {
            var wait = await AspireCli.RunAsync(["wait", ResourceNames.Backend, "--status", "healthy", "--timeout", "20"]);

            Assert.NotEqual(0, wait.ExitCode);
        }
        finally
        {
            await AspireCli.RunAsync(["resource", ResourceNames.Backend, "start"]);
        }
    }

    [Fact]
    public async Task The_worker_command_Apply_migrations_exits_0()
    {
        await EnsureHealthyAsync(ResourceNames.Frontend);

        var apply = await AspireCli.RunAsync(["resource", ResourceNames.Migrations, DevLauncherCommands.ApplyMigrations]);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        // Without a terminal the CLI says what it does on standard error, and prints the command's own message on standard output.
        Assert.Contains($"Command '{DevLauncherCommands.ApplyMigrations}' executed successfully", apply.StandardError, StringComparison.Ordinal);
        Assert.Equal($"At {ScratchMigrations.Scripts[^1][..4]}, up to date.", apply.StandardOutput.Trim());
    }

    /// <summary>The app is up (a class's tests run in any order): what a test starts from, not what it checks.</summary>
    private static async Task EnsureHealthyAsync(string resource)
    {
        var wait = await AspireCli.RunAsync(["wait", resource, "--status", "healthy", "--timeout", "300"]);
        Assert.True(wait.ExitCode == 0, $"{resource} never became healthy: {wait}");
    }
}
