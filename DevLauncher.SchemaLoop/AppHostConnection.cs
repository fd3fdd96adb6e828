using Npgsql;

namespace DevLauncher.SchemaLoop;

/// <summary>
/// How the AppHost's own connections to PostgreSQL look: one application name, which pg_stat_activity and a worker
/// waiting for the migration lock show, and no pool.
/// </summary>
public static class AppHostConnection
{
    /// <summary>The AppHost's <c>application_name</c> on every connection it opens.</summary>
    public const string ApplicationName = "devlauncher-apphost";

    /// <summary>
    /// <paramref name="connectionString"/> with the AppHost's application name and no pool: the AppHost's connections
    /// must be gone when it copies, swaps or drops a database, and it opens few. <paramref name="database"/>, when
    /// given, replaces the connection string's database.
    /// </summary>
    public static string For(string connectionString, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = ApplicationName };
        if (database is not null)
        {
            builder.Database = database;
        }

        return builder.ConnectionString;
    }
}
