using System.Security.Cryptography;
using System.Text;
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

    /// <summary>
    /// PBKDF2 work factor for <see cref="DerivePassword"/>: the services hold the derived password, and a weak owner's
    /// password must not be cheap to guess offline from it.
    /// </summary>
    private const int DerivationIterations = 100_000;

    /// <summary>
    /// The service role's password for a database reached with the owner's <paramref name="ownerPassword"/>. Every host
    /// given the same owner's connection string computes the same value, so hosts that share a database (three
    /// Standalone hosts with one --database) agree on it instead of each setting its own and locking the others out.
    /// </summary>
    public static string DerivePassword(string ownerPassword)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerPassword);
        var bytes = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(ownerPassword), Encoding.UTF8.GetBytes(Name),
            DerivationIterations, HashAlgorithmName.SHA256, 24);
        return Convert.ToHexStringLower(bytes);
    }

    /// <returns>False when the role does not exist yet (a database before migration 0007): nothing was set.</returns>
    /// <remarks>One round trip: it runs under the migration lock, where every worker queued behind this one waits.</remarks>
    public static async Task<bool> SetPasswordAsync(NpgsqlConnection connection, string password, CancellationToken cancellationToken)
    {
        const string exists = $"EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{Name}')";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT {exists}"),
                new NpgsqlBatchCommand("SELECT set_config('devlauncher.service_password', $1, false)") { Parameters = { new() { Value = password } } },
                new NpgsqlBatchCommand($"DO $$ BEGIN IF {exists} THEN EXECUTE format('ALTER ROLE {Name} PASSWORD %L', current_setting('devlauncher.service_password')); END IF; END $$"),
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
