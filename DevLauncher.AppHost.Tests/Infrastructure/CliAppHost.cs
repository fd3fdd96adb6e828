using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The built AppHost as a process of its own (<see cref="AppHostProcess"/>), for the Aspire CLI to find and drive:
/// local mode on the test's data folder and checkout, the dashboard and its resource service on free ports, the
/// services on random ports. Disposing stops it as a terminal's Ctrl-C would, then kills whatever it left.
/// </summary>
public sealed class CliAppHost : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly AppHostProcess _process;

    private CliAppHost(AppHostProcess process) => _process = process;

    /// <summary>The AppHost, once the CLI sees its frontend healthy (which waited for the worker to finish with 0).</summary>
    public static async Task<CliAppHost> StartAsync(KeptDataFolder data, GitCheckoutFolder checkout, CancellationToken cancellationToken)
    {
        var host = new CliAppHost(AppHostProcess.Start(Environment(), Arguments(data, checkout)));
        try
        {
            await host.WaitForFrontendAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Signal("TERM");
        await _process.WaitForExitAsync(Timeout, CancellationToken.None);
        using var deadline = new CancellationTokenSource(Timeout);
        while (_process.ProcessesWithMarker().Count > 0 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }

        await _process.DisposeAsync();
    }

    /// <summary><c>aspire wait frontend</c>, again while the AppHost has not opened its socket yet (the CLI then says none runs).</summary>
    private async Task WaitForFrontendAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var wait = await AspireCli.RunAsync(["wait", ResourceNames.Frontend, "--status", "healthy", "--timeout", "300"]);
        while (wait.ExitCode != 0)
        {
            Assert.False(await _process.WaitForExitAsync(TimeSpan.FromMilliseconds(100), cancellationToken), $"The AppHost exited:{System.Environment.NewLine}{_process.Output}");
            Assert.False(deadline.IsCancellationRequested, $"{wait}{System.Environment.NewLine}{_process.Output}");
            await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
            wait = await AspireCli.RunAsync(["wait", ResourceNames.Frontend, "--status", "healthy", "--timeout", "300"]);
        }
    }

    private static Dictionary<string, string> Environment() => new()
    {
        ["ASPNETCORE_URLS"] = $"http://localhost:{FreePort.Next()}",
        ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
        ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
        ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
    };

    private static string[] Arguments(KeptDataFolder data, GitCheckoutFolder checkout) =>
    [
        "--ConnectionStrings:appdb=",
        $"--{PostgresSettings.ModeKey}=local",
        data.Argument,
        checkout.Argument,
        "--Parameters:service-password=apphost-cli-test-service-password",
        "--DcpPublisher:RandomizePorts=true",
    ];

}
