using DevLauncher.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Writes the run's <see cref="MigrationReport"/> to <c>Migrations:ReportFile</c> when that is set: the AppHost reads it
/// to show the run on the dashboard. The exit code stays the contract; a report that cannot be written is a warning.
/// </summary>
internal sealed class RunReportWriter(IOptions<MigrationOptions> options, ILogger<RunReportWriter> logger)
{
    public Task WriteAsync(MigrationRunResult result, CancellationToken cancellationToken) =>
        WriteAsync(options.Value.ReportFile, ToReport(result, options.Value.PlanOnly), logger, cancellationToken);

    /// <summary>Also used before the host starts, for a configuration error, when the options cannot be bound.</summary>
    public static async Task WriteAsync(string? path, MigrationReport report, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        try
        {
            await ContractsJson.WriteReportAsync(path, report, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not write the report to {ReportFile}: {Reason}", path, ex.Message);
        }
    }

    public static MigrationReport ToReport(MigrationRunResult result, bool planOnly) => new(
        result.Status,
        result.ExitCode,
        planOnly,
        result.SchemaVersion,
        result.AppliedFiles,
        result.PendingFiles,
        result.Problems,
        (long)result.LockWait.TotalMilliseconds,
        result.Failure);
}
