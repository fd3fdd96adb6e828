using DevLauncher.Migrations.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Migrations.Runner;

/// <summary>Runs the migrations once, records the exit code, and stops the host (aspire-samples' migration worker shape).</summary>
public sealed class MigrationWorker(
    MigrationRunner runner, WorkerOutcome outcome, IHostApplicationLifetime lifetime, ILogger<MigrationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            outcome.ExitCode = (await runner.RunAsync(stoppingToken)).ExitCode;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Stopped before the migrations finished; the migration in progress was rolled back");
            outcome.ExitCode = ExitCodes.Unexpected;
        }
        catch (Exception ex)
        {
            // One line that says what happened; the stack trace is for whoever turns on debug logging.
            logger.LogCritical("The migration worker failed unexpectedly: {Reason}", ex.Message);
            logger.LogDebug(ex, "The migration worker failed unexpectedly");
            outcome.ExitCode = ExitCodes.Unexpected;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}

/// <summary>The exit code of this process, set once by the worker and read by Program after the host stops.</summary>
public sealed class WorkerOutcome
{
    public int ExitCode { get; set; } = ExitCodes.Unexpected;
}
