using DevLauncher.SchemaLoop;
using Npgsql;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>The dev databases a scenario made on the bench's server, under a base name of its own.</summary>
internal static class BenchDatabases
{
    /// <summary>Drops every database of <paramref name="baseName"/> (templates, snapshots and copies too), whatever state a failure left them in.</summary>
    public static async Task DropAllAsync(DevServer devServer, string baseName)
    {
        NpgsqlConnection.ClearAllPools();
        await using var session = await devServer.OpenAsync(CancellationToken.None);
        foreach (var database in await session.ListAsync(CancellationToken.None))
        {
            if (database.Name.StartsWith(baseName, StringComparison.Ordinal))
            {
                await session.DropAsync(database.Name, CancellationToken.None);
            }
        }
    }
}
