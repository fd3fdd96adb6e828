using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Puts the worker's one session back as a new connection has it after every file, so that no file sees another's
/// settings, role, search_path, temp tables, prepared statements, cursors or cached sequence values: psql gives each
/// file a new session. It is PostgreSQL's list for DISCARD ALL without pg_advisory_unlock_all(), which would release
/// the migration lock, and with the worker's own setting put back.
/// </summary>
internal static class SessionDefaults
{
    /// <summary>Set on the worker's connection before it takes the lock, and again after every reset.</summary>
    public const string ConnectionCheck = "SET client_connection_check_interval = 1000";

    /// <remarks>
    /// Every statement here may run inside a transaction (DISCARD ALL may not), so the reset rides in the file's own
    /// transaction with its history row. RESET ALL leaves application_name as the connection's start-up packet set it.
    /// </remarks>
    public static IReadOnlyList<string> Statements { get; } =
    [
        "CLOSE ALL",
        "SET SESSION AUTHORIZATION DEFAULT",
        "RESET ALL",
        "DEALLOCATE ALL",
        "UNLISTEN *",
        "DISCARD PLANS",
        "DISCARD TEMP",
        "DISCARD SEQUENCES",
        ConnectionCheck,
    ];

    /// <summary>
    /// The reset, then <paramref name="record"/>, in one round trip: how a file's history row is written. In the file's
    /// transaction where it has one, so the reset and the row commit with the file; the reset first, so that a file's
    /// SET ROLE cannot make the insert fail for want of privileges.
    /// </summary>
    public static NpgsqlBatch ThenRecord(NpgsqlConnection connection, NpgsqlTransaction? transaction, NpgsqlBatchCommand record)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in Statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        }

        batch.BatchCommands.Add(record);
        return batch;
    }
}
