using System.Reflection;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using DevLauncher.Migrations.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A migration worker in a few lines, as aspire-samples' database-migrations worker is: a host that applies the
/// schema once, reports the run, and stops with an exit code.
/// </summary>
public static class MigrationWorkerHostExtensions
{
    /// <summary>
    /// Adds the migration worker: it reads <c>ConnectionStrings:{connectionName}</c> (as the database's owner) and the
    /// <c>Migrations</c> section, takes the migration lock, applies the pending <c>NNNN_description.sql</c> migrations
    /// (the <c>Scripts/*.sql</c> resources embedded in <paramref name="scripts"/>, or the folder
    /// <c>Migrations:Directory</c> names), runs the seeds on a new database, and stops the host. The connection comes
    /// from Aspire.Npgsql, with its tracing and metrics.
    /// </summary>
    /// <param name="builder">The worker's host builder.</param>
    /// <param name="connectionName">The database's connection name, the AppHost's resource name (e.g. <c>appdb</c>).</param>
    /// <param name="scripts">The assembly whose <c>Scripts/*.sql</c> resources are the migrations built into the worker; the entry assembly when null.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddMigrationWorker(this IHostApplicationBuilder builder, string connectionName, Assembly? scripts = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        builder.AddMigrationOptions(connectionName);
        builder.AddWorkerDataSource(connectionName);
        builder.Services.AddMigrationRunner(scripts ?? Assembly.GetEntryAssembly() ?? throw new InvalidOperationException("No entry assembly: pass the assembly that embeds Scripts/*.sql."));
        builder.Services.AddSingleton<RunReportWriter>();
        builder.Services.AddSingleton<WorkerOutcome>();
        builder.Services.AddHostedService<MigrationWorker>();
        // "Application started. Press Ctrl+C to shut down." misleads for a program that runs once and stops itself.
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // The host logs a failed start with the exception's stack trace; RunMigrationWorkerAsync says it in one line
        // (the trace at debug level), and configuration errors are found before the host starts.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        return builder;
    }

    /// <summary>
    /// Runs the worker's host until the run ends and returns the exit code that says what happened (0 applied or
    /// nothing to do, 2 a configuration error; docs/migrations.md lists them). A configuration
    /// error is found before the host starts and said in one line that names the key.
    /// </summary>
    /// <param name="host">The host built from a builder that called <see cref="AddMigrationWorker"/>.</param>
    /// <returns>The process's exit code.</returns>
    public static async Task<int> RunMigrationWorkerAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevLauncher.Migrations");
        if (ConfigurationCheck.Error(host.Services) is { } error)
        {
            logger.LogCritical("Configuration error: {Error}", error);
            return await ReportAsync(host, MigrationOutcome.ConfigurationError, RunFailures.Configuration($"Configuration error: {error}"), logger);
        }

        try
        {
            // Not RunAsync: it disposes the host, and the outcome is read from it afterwards.
            await host.StartAsync();
            await host.WaitForShutdownAsync();
        }
        catch (Exception ex)
        {
            logger.LogCritical("The migration worker could not start: {Reason}", ex.Message);
            logger.LogDebug(ex, "The migration worker could not start");
            return await ReportAsync(host, MigrationOutcome.Unexpected, RunFailures.Unexpected($"The migration worker could not start: {ex.Message}"), logger);
        }

        return host.Services.GetRequiredService<WorkerOutcome>().ExitCode;
    }

    /// <summary>The Migrations section, with the connection string and the service password from Aspire's keys.</summary>
    private static void AddMigrationOptions(this IHostApplicationBuilder builder, string connectionName) =>
        builder.Services.AddOptions<MigrationOptions>()
            .Bind(builder.Configuration.GetSection(MigrationOptions.SectionName))
            .Configure(o =>
            {
                o.ConnectionString = builder.Configuration.GetConnectionString(connectionName);
                o.ServicePassword = builder.Configuration[WorkerConfiguration.ServicePasswordKey];
            });

    private static void AddWorkerDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        // Aspire.Npgsql brings Npgsql's tracing and metrics; its health check has no endpoint to report on in a worker.
        builder.AddNpgsqlDataSource(connectionName,
            settings => settings.DisableHealthChecks = true,
            dataSource => WorkerDataSource.Configure(dataSource));
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(MigrationsInstrumentation.Name))
            .WithMetrics(m => m.AddMeter(MigrationsInstrumentation.Name));
    }

    /// <summary>The report of a run that never began; read from configuration, since the options may not bind.</summary>
    private static async Task<int> ReportAsync(IHost host, MigrationOutcome status, MigrationFailure failure, ILogger logger)
    {
        var result = MigrationRunResult.Failed(status, failure);
        await RunReportWriter.WriteAsync(host.Services.GetRequiredService<IConfiguration>(), result, logger, CancellationToken.None);
        return result.ExitCode;
    }
}
