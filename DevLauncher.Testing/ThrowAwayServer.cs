using DevLauncher.LocalPostgres;

namespace DevLauncher.Testing;

/// <summary>A PostgreSQL server of the caller's own, from the machine's programs, in a temporary folder deleted with it.</summary>
internal static class ThrowAwayServer
{
    /// <param name="name">Part of its temporary folder's name.</param>
    /// <param name="serverSettings">Null for <see cref="LocalPostgresServerOptions.ThrowAwaySettings"/> (no durability: nothing here outlives the run).</param>
    public static Task<LocalPostgresServer> StartAsync(string name, IReadOnlyDictionary<string, string>? serverSettings = null,
        CancellationToken cancellationToken = default) =>
        LocalPostgresServer.StartAsync(new LocalPostgresServerOptions
        {
            Directory = Path.Combine(Path.GetTempPath(), $"devlauncher-{name}-{Guid.NewGuid():N}"),
            ServerSettings = serverSettings ?? LocalPostgresServerOptions.ThrowAwaySettings,
            DeleteOnDispose = true,
        }, cancellationToken: cancellationToken);
}
