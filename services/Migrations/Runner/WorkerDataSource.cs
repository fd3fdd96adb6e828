using Npgsql;

namespace DevLauncher.Migrations.Runner;

/// <summary>The worker's connection: the one the worker process uses, and the one its tests and benchmarks use.</summary>
public static class WorkerDataSource
{
    public const string ApplicationName = "devlauncher-migrations";

    public static NpgsqlDataSource Create(string connectionString, string applicationName = ApplicationName)
    {
        // The worker needs one dedicated connection for its session-level lock, never a pooled one that another caller
        // could reuse while the lock is still held, hence Pooling=false.
        var csb = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = applicationName };
        return new NpgsqlDataSourceBuilder(csb.ConnectionString)
            // The worker reads only built-in types (its history, pg_locks, pg_index), and a short-lived process pays
            // for loading the catalog's types on its one connection: ~5 ms of a warm process, more in a cold one.
            .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
            .ConfigureTracing(_ => { })
            .Build();
    }
}
