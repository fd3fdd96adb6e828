using DevLauncher.LocalPostgres;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>A PostgreSQL server of the test's own, from the machine's programs, playing someone else's server for existing mode.</summary>
internal static class ThrowAwayServer
{
    /// <param name="name">Part of its temporary folder's name, deleted with the server.</param>
    public static Task<LocalPostgresServer> StartAsync(string name, CancellationToken cancellationToken) =>
        LocalPostgresServer.StartAsync(new LocalPostgresServerOptions
        {
            Directory = Path.Combine(Path.GetTempPath(), $"devlauncher-{name}-{Guid.NewGuid():N}"),
            ServerSettings = LocalPostgresServerOptions.ThrowAwaySettings,
            DeleteOnDispose = true,
        }, cancellationToken: cancellationToken);
}
