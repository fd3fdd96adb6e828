using System.Net;
using System.Net.Sockets;

namespace DevLauncher.Testing;

/// <summary>A loopback port nothing listens on now, for a service, an AppHost or a server a test or the bench starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
