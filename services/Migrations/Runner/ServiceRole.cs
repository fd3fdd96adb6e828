using Npgsql;

namespace DevLauncher.Migrations.Runner;

/// <summary>
/// Keeps the services' login role's password equal to <c>Database:ServicePassword</c>. Runs after every migration run
/// (the password may change without a new migration). The password travels as a bound parameter into a session
/// setting, never in statement text, so it does not reach server logs or Npgsql's spans.
/// </summary>
public static class ServiceRole
{
    public const string Name = "devlauncher_service";

    public static async Task<bool> SetPasswordAsync(NpgsqlConnection connection, string password, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{Name}')", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT set_config('devlauncher.service_password', $1, false)") { Parameters = { new() { Value = password } } },
                new NpgsqlBatchCommand($"DO $$ BEGIN EXECUTE format('ALTER ROLE {Name} PASSWORD %L', current_setting('devlauncher.service_password')); END $$"),
                new NpgsqlBatchCommand("SELECT set_config('devlauncher.service_password', '', false)"),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }
}
