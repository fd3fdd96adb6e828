using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace DevLauncher.SchemaGate;

/// <summary>
/// The service's database: Aspire.Npgsql's <c>AddNpgsqlDataSource</c> (a singleton <see cref="NpgsqlDataSource"/> from
/// the connection string, tracing and metrics), with the process's name as the session's <c>application_name</c>.
/// Its own health check is off: the schema gate's asks the same database and says more (unreachable, or which version
/// is missing), and asks again on a new session when the AppHost replaced the database under a pooled one.
/// </summary>
internal static class AppDataSource
{
    public static void Add(IHostApplicationBuilder builder, string connectionName, Action<NpgsqlDataSourceBuilder>? configure)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(connectionName)))
        {
            throw new InvalidOperationException(
                $"No connection string '{connectionName}': set ConnectionStrings__{connectionName} (the AppHost sets it for you).");
        }

        builder.AddNpgsqlDataSource(connectionName, settings => settings.DisableHealthChecks = true, dataSource =>
        {
            if (string.IsNullOrEmpty(dataSource.ConnectionStringBuilder.ApplicationName))
            {
                // Shows in pg_stat_activity, so a DBA (or the worker's lock timeout message) can tell who is connected.
                dataSource.ConnectionStringBuilder.ApplicationName = builder.Environment.ApplicationName;
            }

            configure?.Invoke(dataSource);
        });
    }
}
