using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;


namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// Asks the container runtime Aspire will use (<c>ASPIRE_CONTAINER_RUNTIME</c>, docker by default) for its server
/// version when the app starts, as Aspire's own check does: without an answer the <c>postgres</c> container would fail
/// after a long wait, so the AppHost says why in one line instead, before anything starts.
/// </summary>
internal static class ContainerRuntimeCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <param name="whenUnhealthy">The line to stop with, which says why a container was wanted and what else to do.</param>
    public static async Task EnsureHealthyAsync(IServiceProvider services, Func<string, string> whenUnhealthy, CancellationToken cancellationToken)
    {
        var runtime = Runtime(services.GetRequiredService<IConfiguration>());
        if (!await AnswersAsync(runtime, cancellationToken))
        {
            throw new DevLauncherStartException(whenUnhealthy(runtime));
        }
    }

    /// <summary>The runtime Aspire uses: <c>ASPIRE_CONTAINER_RUNTIME</c>, docker by default.</summary>
    public static string Runtime(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";

    /// <summary>Whether the runtime's daemon answers <c>info</c> within a few seconds.</summary>
    public static async Task<bool> AnswersAsync(string runtime, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            await process!.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the runtime's client is not installed
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // no answer in time; disposing the Process does not kill it, but a hung `info` exits with its daemon
        }
    }
}
