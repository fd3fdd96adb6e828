using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Migrations.Hosting;

/// <summary>
/// Writes the run's <see cref="MigrationReport"/> in <c>Migrations:ReportDirectory</c> when that is set, to the file
/// of this replica (<see cref="MigrationReportFile.PathIn"/>): the AppHost reads it to show the run on the dashboard.
/// The exit code stays the contract; a report that cannot be written is a warning.
/// </summary>
internal sealed class RunReportWriter(IConfiguration configuration, ILogger<RunReportWriter> logger)
{
    public Task WriteAsync(MigrationRunResult result, CancellationToken cancellationToken) =>
        WriteAsync(configuration, result, logger, cancellationToken);

    /// <summary>
    /// Also used before the host starts, for a configuration error, when the options may not bind: so everything is
    /// read from configuration, whose PlanOnly value the check has parsed before any run.
    /// </summary>
    public static async Task WriteAsync(IConfiguration configuration, MigrationRunResult result, ILogger logger, CancellationToken cancellationToken)
    {
        if (configuration[WorkerConfiguration.ReportDirectoryKey] is not { } directory || string.IsNullOrWhiteSpace(directory))
        {
            return;
        }

        var path = MigrationReportFile.PathIn(directory, configuration[MigrationReportFile.ResourceAttributesKey]);
        var planOnly = bool.TryParse(configuration[WorkerConfiguration.PlanOnlyKey], out var plan) && plan;
        try
        {
            Directory.CreateDirectory(directory);
            await ContractsJson.WriteReportAsync(path, result.ToReport(planOnly), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not write the report to {ReportFile}: {Reason}", path, ex.Message);
        }
    }
}
