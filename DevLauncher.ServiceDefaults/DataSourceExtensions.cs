using DevLauncher.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace DevLauncher.ServiceDefaults;

/// <summary>
/// The services' database: Aspire.Npgsql's <c>AddNpgsqlDataSource</c> (a singleton <see cref="NpgsqlDataSource"/> from
/// <c>ConnectionStrings:appdb</c>, its health check, tracing and metrics), with the process's name as the session's
/// <c>application_name</c>.
/// </summary>
public static class DataSourceExtensions
{
    public static TBuilder AddAppDataSource<TBuilder>(
        this TBuilder builder,
        string connectionName = ResourceNames.Database,
        Action<NpgsqlDataSourceBuilder>? configure = null) where TBuilder : IHostApplicationBuilder
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(connectionName)))
        {
            throw new InvalidOperationException(
                $"No connection string '{connectionName}': set ConnectionStrings__{connectionName} (the AppHost sets it for you).");
        }

        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            if (string.IsNullOrEmpty(dataSource.ConnectionStringBuilder.ApplicationName))
            {
                // Shows in pg_stat_activity, so a DBA (or the worker's lock timeout message) can tell who is connected.
                dataSource.ConnectionStringBuilder.ApplicationName = builder.Environment.ApplicationName;
            }

            configure?.Invoke(dataSource);
        });
        return builder;
    }
}
