using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace DevLauncher.AppHost.Postgres;

public interface IContainerRuntimeProbe
{
    /// <summary>True when the container runtime Aspire would use answers: its client is installed and its daemon runs.</summary>
    bool IsHealthy();
}

/// <summary>
/// Asks the container runtime Aspire would use (<c>ASPIRE_CONTAINER_RUNTIME</c>, docker by default) for its server
/// version, as Aspire's own check does at start; without an answer within a few seconds there is no usable runtime.
/// </summary>
public sealed class ContainerRuntimeProbe(IConfiguration configuration) : IContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public bool IsHealthy()
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the runtime's client is not installed
        }
    }
}
