using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Migrations.Hosting;

/// <summary>Runs the migrations once, records the exit code and the report, and stops the host (aspire-samples' migration worker shape).</summary>
internal sealed class MigrationWorker(
    MigrationRunner runner, RunReportWriter reportWriter, WorkerOutcome outcome, IHostApplicationLifetime lifetime, ILogger<MigrationWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var result = await RunAsync(stoppingToken);
            outcome.ExitCode = result.ExitCode;
            await reportWriter.WriteAsync(result, CancellationToken.None);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<MigrationRunResult> RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await runner.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            const string Stopped = "Stopped before the migrations finished; the migration in progress was rolled back";
            logger.LogWarning(Stopped);
            return MigrationRunResult.Failed(MigrationOutcome.Unexpected, RunFailures.Unexpected(Stopped));
        }
        catch (Exception ex)
        {
            // One line that says what happened; the stack trace is for whoever turns on debug logging.
            logger.LogCritical("The migration worker failed unexpectedly: {Reason}", ex.Message);
            logger.LogDebug(ex, "The migration worker failed unexpectedly");
            return MigrationRunResult.Failed(MigrationOutcome.Unexpected, RunFailures.Unexpected($"The migration worker failed unexpectedly: {ex.Message}"));
        }
    }
}

/// <summary>The exit code of this process, set once by the worker and read by Program after the host stops.</summary>
internal sealed class WorkerOutcome
{
    public int ExitCode { get; set; } = ExitCodes.Unexpected;
}
