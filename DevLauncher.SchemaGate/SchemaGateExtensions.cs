using DevLauncher.Contracts;
using DevLauncher.SchemaGate;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

// Aspire's client integrations put their builder extensions here, so a service needs no using to find them.
namespace Microsoft.Extensions.Hosting;

/// <summary>A service's side of DevLauncher: its database, the schema version it needs, and the schema loop's windows.</summary>
public static class SchemaGateExtensions
{
    /// <summary>
    /// Registers the service's database (Aspire.Npgsql's <see cref="NpgsqlDataSource"/> for
    /// <paramref name="connectionName"/>, named after the service in <c>pg_stat_activity</c>) and the schema gate: a
    /// health check, <c>schema</c>, that is unhealthy while the database's history has not reached
    /// <paramref name="requiredVersion"/>. With <see cref="UseSchemaGate"/>, requests wait for the schema and ride
    /// through the schema loop's brief windows. <c>SchemaGate:PollInterval</c> and <c>SchemaGate:DatabaseWait</c> are
    /// read from configuration and validated on start.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="requiredVersion">The newest migration's version this service's queries need.</param>
    /// <param name="connectionName">The database's connection string name: the AppHost's database resource name.</param>
    /// <param name="configureDataSource">Configures the data source further (type mappings, plugins).</param>
    public static TBuilder AddSchemaGate<TBuilder>(this TBuilder builder, long requiredVersion,
        string connectionName = ResourceNames.Database, Action<NpgsqlDataSourceBuilder>? configureDataSource = null)
        where TBuilder : IHostApplicationBuilder
    {
        AppDataSource.Add(builder, connectionName, configureDataSource);
        builder.Services.AddOptions<SchemaGateOptions>()
            .Configure(o => o.RequiredVersion = requiredVersion)
            .Bind(builder.Configuration.GetSection(SchemaGateOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DevLauncher.SchemaGate.SchemaGate>();
        builder.Services.TryAddSingleton<DatabaseWindow>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<SchemaGateHealthCheck>("schema");
        return builder;
    }

    /// <summary>
    /// Answers 503 with the reason and <c>Retry-After</c> to every request but the health endpoints while the schema is
    /// not there: before the worker has run, while the database is being swapped, or after it went back a version.
    /// A request whose statement meets one of the schema loop's windows runs again on a new session (see
    /// <see cref="DatabaseWindowRetry"/>). Call it after the exception handler and before the endpoints.
    /// </summary>
    /// <param name="app">The service's application.</param>
    public static WebApplication UseSchemaGate(this WebApplication app)
    {
        app.Use(RefuseUntilReadyAsync);
        app.Use(DatabaseWindowRetry.RunAgainThroughWindowsAsync);
        return app;
    }

    private static async Task RefuseUntilReadyAsync(HttpContext context, RequestDelegate next)
    {
        if (DatabaseWindowRetry.IsHealthProbe(context))
        {
            await next(context);
            return;
        }

        var status = await context.RequestServices.GetRequiredService<DevLauncher.SchemaGate.SchemaGate>().GetStatusAsync(context.RequestAborted);
        if (status.Ready)
        {
            await next(context);
            return;
        }

        context.Response.Headers.RetryAfter = "1";
        await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The database schema is not ready",
            detail: status.Reason).ExecuteAsync(context);
    }

    private sealed class SchemaGateHealthCheck(DevLauncher.SchemaGate.SchemaGate gate) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = await gate.GetStatusAsync(cancellationToken);
            return status.Ready ? HealthCheckResult.Healthy(status.Reason) : HealthCheckResult.Unhealthy(status.Reason);
        }
    }
}
