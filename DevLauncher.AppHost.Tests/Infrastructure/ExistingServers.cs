using DevLauncher.LocalPostgres;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// A server someone else runs, for existing-server mode: one of the test's own from the machine's PostgreSQL programs,
/// with an empty database, and the setting that points an AppHost at it as its owner.
/// </summary>
internal static class ExistingServers
{
    public const string Database = "shared";

    /// <summary>The server, deleted when disposed, with the empty database <see cref="Database"/>.</summary>
    public static async Task<LocalPostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = await ThrowAwayServer.StartAsync("existing-server", cancellationToken: cancellationToken);
        await server.CreateDatabaseAsync(Database, "template0", cancellationToken);
        return server;
    }

    /// <summary>The AppHost's setting for the database, reached as the server's superuser.</summary>
    public static string Argument(LocalPostgresServer server) => $"--ConnectionStrings:{Contracts.ResourceNames.Database}={server.GetConnectionString(Database)}";
}
