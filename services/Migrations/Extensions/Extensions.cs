using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using DevLauncher.Migrations.Hosting;

namespace Microsoft.Extensions.Hosting;

public static class MigrationsExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMigrationOptions();
        builder.AddWorkerDataSource();
        builder.Services.AddMigrationRunner(typeof(MigrationWorker).Assembly);
        builder.Services.AddSingleton<RunReportWriter>();
        builder.Services.AddSingleton<WorkerOutcome>();
        builder.Services.AddHostedService<MigrationWorker>();
        // "Application started. Press Ctrl+C to shut down." misleads for a program that runs once and stops itself.
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // The host logs a failed start with the exception's stack trace; RunToCompletionAsync says it in one line (the
        // trace at debug level), and configuration errors are found before the host starts.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        return builder;
    }

    /// <summary>The Migrations section, with the connection string and the service password from Aspire's keys.</summary>
    private static void AddMigrationOptions(this IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<MigrationOptions>()
            .Bind(builder.Configuration.GetSection(MigrationOptions.SectionName))
            .Configure(o =>
            {
                o.ConnectionString = builder.Configuration.GetConnectionString(ResourceNames.Database);
                o.ServicePassword = builder.Configuration[WorkerConfiguration.ServicePasswordKey];
            });

    private static void AddWorkerDataSource(this IHostApplicationBuilder builder)
    {
        // Aspire.Npgsql brings Npgsql's tracing and metrics; its health check has no endpoint to report on in a worker.
        builder.AddNpgsqlDataSource(ResourceNames.Database,
            settings => settings.DisableHealthChecks = true,
            dataSource => WorkerDataSource.Configure(dataSource));
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(MigrationsInstrumentation.Name))
            .WithMetrics(m => m.AddMeter(MigrationsInstrumentation.Name));
    }

    /// <summary>Runs the host until the worker stops it, and returns the exit code that says what happened.</summary>
    public static async Task<int> RunToCompletionAsync(this IHost host)
    {
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

    /// <summary>The report of a run that never began; read from configuration, since the options may not bind.</summary>
    private static async Task<int> ReportAsync(IHost host, MigrationOutcome status, MigrationFailure failure, ILogger logger)
    {
        var result = MigrationRunResult.Failed(status, failure);
        await RunReportWriter.WriteAsync(host.Services.GetRequiredService<IConfiguration>(), result, logger, CancellationToken.None);
        return result.ExitCode;
    }
}
