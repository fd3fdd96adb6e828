using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DevLauncher.ServiceDefaults.SchemaGate;

public static class SchemaGateExtensions
{
    /// <summary>Declares the schema version this service needs; <c>/health</c> is unhealthy while the database does not have it.</summary>
    public static TBuilder AddSchemaGate<TBuilder>(this TBuilder builder, long requiredVersion) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<SchemaGateOptions>()
            .Configure(o => o.RequiredVersion = requiredVersion)
            .Bind(builder.Configuration.GetSection(SchemaGateOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SchemaGate>();
        builder.Services.TryAddSingleton<DatabaseWindow>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<SchemaGateHealthCheck>("schema");
        return builder;
    }

    /// <summary>
    /// Answers 503 with the reason and <c>Retry-After</c> to every request but the health endpoints while the schema is not
    /// there: before the worker has run, while the database is being swapped, or after it went back a version.
    /// </summary>
    public static WebApplication UseSchemaGate(this WebApplication app)
    {
        app.Use(RefuseUntilReadyAsync);
        return app;
    }

    private static async Task RefuseUntilReadyAsync(HttpContext context, RequestDelegate next)
    {
        if (Extensions.IsHealthProbe(context))
        {
            await next(context);
            return;
        }

        var status = await context.RequestServices.GetRequiredService<SchemaGate>().GetStatusAsync(context.RequestAborted);
        if (status.Ready)
        {
            await next(context);
            return;
        }

        context.Response.Headers.RetryAfter = "1";
        await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The database schema is not ready",
            detail: status.Reason).ExecuteAsync(context);
    }

    private sealed class SchemaGateHealthCheck(SchemaGate gate) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = await gate.GetStatusAsync(cancellationToken);
            return status.Ready ? HealthCheckResult.Healthy(status.Reason) : HealthCheckResult.Unhealthy(status.Reason);
        }
    }
}
