using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace DevLauncher.Hosting.Start;

/// <summary>
/// Before anything starts, the fixed ports this AppHost will listen on (the dashboard's, and each service's launch
/// port) must be free: otherwise the dashboard URL it prints, or a service's address, would reach another program.
/// A port in use stops the start with one line naming it and, where it can be told, what holds it.
/// </summary>
internal static class PortCheck
{
    private static readonly string[] DashboardAddresses =
        ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"];

    public static IDistributedApplicationBuilder CheckPortsBeforeStart(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                EnsureFree(Ports(e.Services, e.Model));
                return Task.CompletedTask;
            });
        }

        return builder;
    }

    private static IEnumerable<(int Port, string Owner)> Ports(IServiceProvider services, DistributedApplicationModel model)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        // A test host, or `aspire start --isolated`, picks free ports for everything as it binds.
        if (configuration.GetValue<bool>("DcpPublisher:RandomizePorts"))
        {
            return [];
        }

        var dashboard = services.GetRequiredService<DistributedApplicationOptions>().DisableDashboard
            ? []
            : DashboardAddresses.SelectMany(key => (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Port : 0).Where(p => p > 0).Select(p => (p, "the dashboard"));
        var endpoints = model.Resources.OfType<ProjectResource>()
            .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Where(a => a.Port is > 0).Select(a => (a.Port!.Value, r.Name)));
        return dashboard.Concat(endpoints).Distinct();
    }

    private static void EnsureFree(IEnumerable<(int Port, string Owner)> ports)
    {
        foreach (var (port, owner) in ports)
        {
            if (!IsFree(port))
            {
                var holder = PortHolder.Describe(port) is { } who ? $"is in use by {who}" : "is in use by another program";
                throw new DevLauncherStartException(
                    $"Port {port} ({owner}) {holder}: stop it first, or start this AppHost on random ports with `dotnet aspire start --isolated`.");
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port) { ExclusiveAddressUse = true };
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
