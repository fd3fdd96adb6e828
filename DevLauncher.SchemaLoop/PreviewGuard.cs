using Npgsql;

namespace DevLauncher.SchemaLoop;

/// <summary>
/// An advisory lock on the maintenance database, one per preview copy, held by the preview from before the copy exists
/// until it is dropped: a copy whose lock is free belongs to a preview whose process died, and may be dropped.
/// </summary>
internal static class PreviewGuard
{
    private const string Key = "hashtextextended('devlauncher.preview:' || $1, 0)";

    /// <returns>The connection that holds the lock until it is disposed.</returns>
    public static async Task<NpgsqlConnection> HoldAsync(DevServer server, string copy, CancellationToken cancellationToken)
    {
        var connection = await server.OpenMaintenanceAsync(cancellationToken);
        try
        {
            await using var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection) { Parameters = { new() { Value = copy } } };
            await hold.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether a running preview holds the copy's lock; asking takes it only for the asking statement.</summary>
    public static async Task<bool> IsHeldAsync(NpgsqlConnection maintenance, string copy, CancellationToken cancellationToken)
    {
        await using var probe = new NpgsqlCommand($"SELECT NOT pg_try_advisory_xact_lock({Key})", maintenance) { Parameters = { new() { Value = copy } } };
        return await probe.ExecuteScalarAsync(cancellationToken) is true;
    }
}
