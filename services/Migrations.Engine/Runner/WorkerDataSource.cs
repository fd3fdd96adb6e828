using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>The worker's connection: the one the worker process uses, and the one its tests and benchmarks use.</summary>
internal static class WorkerDataSource
{
    public const string ApplicationName = "devlauncher-migrations";

    /// <summary>For the tests and the bench; the worker process gets the same through Aspire.Npgsql and <see cref="Configure"/>.</summary>
    public static NpgsqlDataSource Create(string connectionString, string applicationName = ApplicationName)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        Configure(builder, applicationName);
        return builder.Build();
    }

    public static void Configure(NpgsqlDataSourceBuilder builder, string applicationName = ApplicationName)
    {
        // The worker needs one dedicated connection for its session-level lock, never a pooled one that another caller
        // could reuse while the lock is still held, hence Pooling=false.
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.ApplicationName = applicationName;
        // The worker reads only built-in types (its history, pg_locks, pg_index), and a short-lived process pays for
        // loading the catalog's types on its one connection.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
    }
}
