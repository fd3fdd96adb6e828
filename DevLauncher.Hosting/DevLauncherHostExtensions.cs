using Aspire.Hosting.Lifecycle;
using DevLauncher.Hosting.Database;
using DevLauncher.Hosting.Start;
using DevLauncher.Hosting.Terminal;
using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.Hosting;

/// <summary>
/// What DevLauncher adds to the AppHost itself, once however many app databases it has: the checks before the start,
/// the terminal's failure lines, the stop order (the services first), and the projects started from their build output.
/// </summary>
internal static class DevLauncherHostExtensions
{
    public static IDistributedApplicationBuilder AddDevLauncherHost(this IDistributedApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(DevLauncherHostMarker)))
        {
            return builder;
        }

        builder.Services.AddSingleton<DevLauncherHostMarker>();
        // First of the checks before the start, so a port in use refuses it before the local server's folder is touched.
        builder.CheckPortsBeforeStart();
        builder.ReportFailuresInTerminal();
        builder.LaunchFromBuildOutput();
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.AddHostedService<ServicesFirstShutdown>();
            builder.Services.TryAddEventingSubscriber<AppDatabaseLoopSubscriber>();
        }

        return builder;
    }

    /// <summary>Registered once: its presence says the host's services are in.</summary>
    private sealed class DevLauncherHostMarker;
}
