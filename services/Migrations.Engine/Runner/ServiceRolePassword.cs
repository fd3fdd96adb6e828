using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Keeps the services' login role's password equal to <c>Database:ServicePassword</c>. Runs after every migration run
/// (the password may change without a new migration). The password travels as a bound parameter into a session
/// setting, never in statement text, so it does not reach server logs or Npgsql's spans.
/// </summary>
internal static class ServiceRolePassword
{
    /// <returns>False when the role does not exist yet (a database before migration 0007): nothing was set.</returns>
    /// <remarks>One round trip: it runs under the migration lock, where every worker queued behind this one waits.</remarks>
    public static async Task<bool> SetAsync(NpgsqlConnection connection, string password, CancellationToken cancellationToken)
    {
        const string exists = $"EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ServiceRole.Name}')";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT {exists}"),
                new NpgsqlBatchCommand("SELECT set_config('devlauncher.service_password', $1, false)") { Parameters = { new() { Value = password } } },
                new NpgsqlBatchCommand($"DO $$ BEGIN IF {exists} THEN EXECUTE format('ALTER ROLE {ServiceRole.Name} PASSWORD %L', current_setting('devlauncher.service_password')); END IF; END $$"),
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
