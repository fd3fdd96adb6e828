using System.Collections.Concurrent;
using DevLauncher.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.AppHost.Migrations;

/// <summary>
/// When a run of the worker ends, reads its report and the history table and publishes the run on the resource: its
/// state text and its properties. The orchestrator may publish the bare terminal state again afterwards; the same run
/// is then shown again from memory, since its report is taken once.
/// </summary>
public sealed class MigrationRunPublisher(ResourceNotificationService notifications, ResourceLoggerService loggers)
{
    private static readonly TimeSpan HistoryTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (DateTime? Start, MigrationRunView View)> _runs = new();

    public async Task PublishAsync(IResource worker, IResourceWithConnectionString database, ResourceEvent stopped, CancellationToken cancellationToken)
    {
        if (stopped.Snapshot.ExitCode is not { } exitCode)
        {
            return; // it never ran (failed to start): the orchestrator's own state says so
        }

        var view = await ViewOfAsync(stopped, exitCode, database, cancellationToken);
        await notifications.PublishUpdateAsync(worker, stopped.ResourceId, s => s with { State = view.State, Properties = view.Apply(s.Properties) });
    }

    private async Task<MigrationRunView> ViewOfAsync(ResourceEvent stopped, int exitCode, IResourceWithConnectionString database, CancellationToken cancellationToken)
    {
        var report = await MigrationReports.TakeAsync(MigrationReports.PathOf(stopped.Snapshot), cancellationToken);
        var start = stopped.Snapshot.StartTimeStamp;
        var last = _runs.GetValueOrDefault(stopped.ResourceId);
        if (report is null && last.View is not null && last.Start == start)
        {
            return last.View; // the same run, its end published again
        }

        var logger = loggers.GetLogger(stopped.ResourceId);
        var view = new MigrationRunView((last.View?.Run ?? 0) + 1, exitCode, report, await ReadHistoryAsync(database, logger, cancellationToken));
        _runs[stopped.ResourceId] = (start, view);
        logger.LogInformation("Run {Run}: {State}", view.Run, view.State.Text);
        return view;
    }

    /// <returns>Null when the database cannot say: the view then shows the worker's own report.</returns>
    private static async Task<SchemaHistoryState?> ReadHistoryAsync(IResourceWithConnectionString database, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HistoryTimeout);
        try
        {
            var connectionString = await database.ConnectionStringExpression.GetValueAsync(timeout.Token);
            return await SchemaHistoryReader.ReadAsync(connectionString!, timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Could not read {Table} for the dashboard: {Reason}", SchemaHistory.Table, ex.Message);
            return null;
        }
    }
}
