using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Keeps the services' login role's password equal to <c>Database:ServicePassword</c>, and its read of the schema
/// history for the schema gate. Runs after every migration run
/// (the password may change without a new migration). The password travels as a bound parameter into a session
/// setting, never in statement text, so it does not reach server logs or Npgsql's spans.
/// </summary>
internal static class ServiceRolePassword
{
    private const int Attempts = 5;

    /// <returns>False when the role does not exist yet (a database before migration 0007): nothing was set.</returns>
    /// <remarks>
    /// The role is the server's, while the migration lock is a database's: workers of two databases on one server (two
    /// branches, two AppHosts) may set it at the same moment, and PostgreSQL refuses the second update of the role's row
    /// with XX000 "tuple concurrently updated", after which Npgsql drops that session. Nothing was changed then, so it is
    /// set again on a new session from <paramref name="dataSource"/>.
    /// </remarks>
    public static async Task<bool> SetAsync(NpgsqlDataSource dataSource, NpgsqlConnection connection, string password, CancellationToken cancellationToken)
    {
        try
        {
            return await SetOnceAsync(connection, password, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InternalError)
        {
            return await SetAgainAsync(dataSource, password, cancellationToken);
        }
    }

    private static async Task<bool> SetAgainAsync(NpgsqlDataSource dataSource, string password, CancellationToken cancellationToken)
    {
        for (var attempt = 2; ; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50 * attempt)), cancellationToken);
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                return await SetOnceAsync(connection, password, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InternalError && attempt < Attempts)
            {
                // Another worker again: wait a little longer.
            }
        }
    }

    /// <summary>
    /// The schema gate reads the history as the service role, whatever the team's own migrations grant it: granted with
    /// the password, so a team's migrations need only create the role (this repository's 0007 grants it too).
    /// </summary>
    private const string ReadHistory =
        $"IF to_regclass('{SchemaHistory.Table}') IS NOT NULL THEN " +
        $"GRANT USAGE ON SCHEMA {SchemaHistory.Schema} TO {ServiceRole.Name}; GRANT SELECT ON {SchemaHistory.Table} TO {ServiceRole.Name}; END IF;";

    /// <remarks>One round trip: it runs under the migration lock, where every worker queued behind this one waits.</remarks>
    private static async Task<bool> SetOnceAsync(NpgsqlConnection connection, string password, CancellationToken cancellationToken)
    {
        const string exists = $"EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ServiceRole.Name}')";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT {exists}"),
                new NpgsqlBatchCommand("SELECT set_config('devlauncher.service_password', $1, false)") { Parameters = { new() { Value = password } } },
                new NpgsqlBatchCommand($"DO $$ BEGIN IF {exists} THEN EXECUTE format('ALTER ROLE {ServiceRole.Name} PASSWORD %L', current_setting('devlauncher.service_password')); " +
                    $"{ReadHistory} END IF; END $$"),
                new NpgsqlBatchCommand("SELECT set_config('devlauncher.service_password', '', false)"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var roleExists = reader.GetBoolean(0);
        // Read to the end, so that an error in the ALTER ROLE surfaces here.
        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return roleExists;
    }
}
