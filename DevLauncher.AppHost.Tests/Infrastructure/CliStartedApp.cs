namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The app started by <c>dotnet aspire start --isolated</c> (random ports, the CLI's own user secrets) for a class of
/// tests: local mode in a folder of its own. It is stopped with <c>dotnet aspire stop</c>; anything of it left after
/// that is killed, found by the marker every process it started inherits, and the <c>aspire.config.json</c> that
/// <c>aspire start</c> writes into the checkout's root is removed unless it was there before.
/// </summary>
public sealed class CliStartedApp : IAsyncLifetime
{
    private static readonly string ConfigFile = Path.Combine(AspireCli.CheckoutRoot, "aspire.config.json");
    private readonly TempFolder _data = TempFolder.Named("devlauncher-cli");
    private readonly bool _configExisted = File.Exists(ConfigFile);

    public string Marker { get; } = $"apphost-test-{Guid.NewGuid():N}";

    /// <summary>What <c>dotnet aspire start</c> printed and how it exited.</summary>
    public CommandResult Start { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            var restore = await AspireCli.RestoreAsync();
            Assert.True(restore.ExitCode == 0, $"dotnet tool restore: {restore}");
            Start = await AspireCli.RunAsync(["start", "--no-build", "--isolated"], AppArguments(),
                new Dictionary<string, string> { [TestAppHost.MarkerVariable] = Marker });
            Assert.True(Start.ExitCode == 0, $"dotnet aspire start: {Start}");
        }
        catch
        {
            // A fixture that fails to start is not disposed by xunit: its processes must not outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AspireCli.RunAsync(["stop"]);
        await MarkedProcesses.EndAsync(() => ProcessTable.WithEnvironment($"{TestAppHost.MarkerVariable}={Marker}"), TimeSpan.FromSeconds(30));
        if (!_configExisted)
        {
            File.Delete(ConfigFile);
        }

        _data.Dispose();
    }

    private string[] AppArguments() =>
    [
        "--ConnectionStrings:appdb=",
        $"--{DevLauncher.AppHost.Postgres.PostgresSettings.ModeKey}=local",
        $"--{DevLauncher.AppHost.Postgres.PostgresSettings.DataDirectoryKey}={_data.Path}",
        $"--Parameters:service-password={TestAppHost.ServicePassword}",
    ];
}
