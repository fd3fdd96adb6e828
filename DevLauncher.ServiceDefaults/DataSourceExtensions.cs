using DevLauncher.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What Aspire.Npgsql's <c>AddNpgsqlDataSource("appdb")</c> does, on Npgsql.DependencyInjection and
/// Npgsql.OpenTelemetry directly: the connection string from <c>ConnectionStrings:appdb</c>, a singleton
/// <see cref="NpgsqlDataSource"/>, tracing and metrics, and a health check.
/// </summary>
public static class DataSourceExtensions
{
    public static TBuilder AddAppDataSource<TBuilder>(
        this TBuilder builder,
        string connectionName = ResourceNames.Database,
        Action<NpgsqlDataSourceBuilder>? configure = null) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"No connection string '{connectionName}': set ConnectionStrings__{connectionName} " +
                "(the AppHost and the Standalone host set it for you).");
        }

        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(csb.ApplicationName))
        {
            // Shows in pg_stat_activity, so a DBA (or our lock timeout message) can tell who is connected.
            csb.ApplicationName = builder.Environment.ApplicationName;
        }

        builder.Services.AddNpgsqlDataSource(csb.ConnectionString, dataSource =>
        {
            dataSource.ConfigureTracing(_ => { });
            configure?.Invoke(dataSource);
        });

        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddNpgsql())
            .WithMetrics(m => m.AddMeter("Npgsql"));

        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres");
        return builder;
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL is not reachable: {ex.Message}");
            }
        }
    }
}
