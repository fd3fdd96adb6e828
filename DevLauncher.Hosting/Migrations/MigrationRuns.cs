using System.Collections.Concurrent;
using System.Collections.Immutable;
using DevLauncher.Hosting.Database;
using DevLauncher.Migrations.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.Hosting.Migrations;

/// <summary>
/// The worker's runs, as the dashboard shows them: one documented path from the worker's exit to the dashboard. The
/// worker writes its report to a file named after its replica (<see cref="MigrationReportFile"/>) in a folder the
/// AppHost gives it; when the replica stops, the AppHost reads that file and the history table and publishes the run's
/// properties on the replica. Aspire's own state (Finished or Exited, with the exit code) is left as it is.
/// </summary>
internal sealed class MigrationRuns(AppDatabaseAnnotation database)
{
    private static readonly TimeSpan HistoryTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (DateTime? Start, int Run)> _runs = new();
    private volatile bool _canUndo;

    /// <summary>The folder the worker's replicas write their reports to: the user's own, shared by every AppHost.</summary>
    public string ReportDirectory { get; } = Path.Combine(Path.GetTempPath(), $"devlauncher-migration-reports-{Environment.UserName}");

    /// <summary>Whether Undo last migration can run now (a snapshot matches the newest run), as last checked.</summary>
    public bool CanUndo => _canUndo;

    /// <summary>The number of the replica's last run; 0 before its first.</summary>
    public int RunOf(string resourceId) => _runs.TryGetValue(resourceId, out var last) ? last.Run : 0;

    public async Task OnStoppedAsync(IResource worker, ResourceStoppedEvent stopped, CancellationToken cancellationToken)
    {
        var snapshot = stopped.ResourceEvent.Snapshot;
        // No exit code: it never ran (failed to start), which Aspire's own state says. The same start seen twice: the
        // orchestrator may report the end of a run again.
        if (snapshot.ExitCode is not { } exitCode || !TryBeginRun(stopped.ResourceEvent.ResourceId, snapshot.StartTimeStamp, out var run))
        {
            return;
        }

        var report = await TakeReportAsync(snapshot, cancellationToken);
        var properties = new MigrationProperties(run, exitCode, report, await ReadHistoryAsync(stopped.Services, cancellationToken));
        // Undo first: a command that waits for the run's number (Apply migrations) must find Undo up to date. The
        // bookkeeping never keeps the run from being published: a command waits for that number.
        await KeepBooksAsync(worker, report?.Applied ?? [], stopped.Services, cancellationToken);
        await PublishAsync(worker, stopped.ResourceEvent.ResourceId, properties, stopped.Services);
        if (exitCode == 0)
        {
            await ForgetPreviewAsync(worker, stopped.Services.GetRequiredService<ResourceNotificationService>());
            await StartServicesThatFailedAsync(worker, stopped.Services, cancellationToken);
            BuildTemplateOnceServicesAreUp(worker, stopped.Services);
        }
    }

    /// <summary>
    /// After a run: its Undo snapshot kept, and what Undo would take back shown. A database error here is the worker's
    /// log's warning and Undo's reason, never a lost run.
    /// </summary>
    private async Task KeepBooksAsync(IResource worker, IReadOnlyList<string> applied, IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            if (database.Loop is { } loop)
            {
                await loop.AfterRunAsync(applied, cancellationToken);
            }

            await PublishUndoAsync(worker, services, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            services.GetRequiredService<ResourceLoggerService>().GetLogger(worker)
                .LogWarning("The run's Undo snapshot could not be kept: {Reason}", ex.Message);
            await PublishUndoAsync(worker, SchemaLoop.UndoStatus.Unavailable($"Undo is not available: after the last run, {ex.Message}"), services);
        }
    }

    /// <summary>Re-checks what Undo would take back and shows it on the worker: its property, its tooltip and its confirmation.</summary>
    public async Task PublishUndoAsync(IResource worker, IServiceProvider services, CancellationToken cancellationToken)
    {
        var status = database.Loop is { } loop
            ? await loop.UndoStatusAsync(cancellationToken)
            : SchemaLoop.UndoStatus.Unavailable(UndoCommand.ExistingServer);
        await PublishUndoAsync(worker, status, services);
    }

    private async Task PublishUndoAsync(IResource worker, SchemaLoop.UndoStatus status, IServiceProvider services)
    {
        _canUndo = status.Available;
        await services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(worker, s => s with
        {
            Properties = s.Properties.With(MigrationProperties.Undo(status)),
            Commands = [.. s.Commands.Select(c => c.Name == DevLauncherCommands.UndoMigration ? UndoCommand.Describe(c, status) : c)],
        });
    }

    /// <summary>
    /// A Preview's details as the worker's properties, replacing the last one's; when it found data loss, Apply
    /// migrations asks for a confirmation that names it, until a run applies the files or the next Preview finds none.
    /// </summary>
    public Task PublishPreviewAsync(ResourceNotificationService notifications, MigrationPreview preview)
    {
        var properties = preview.ToProperties().Select(p => ResourceProperties.Of(p.Key, p.Key, p.Value)).ToList();
        var confirmation = preview.DataLoss ? $"The last Preview of these files found data loss: {preview.ToCommandMessage()} Apply them to the database?" : null;
        return notifications.PublishUpdateAsync(database.Worker!, s => s with
        {
            Properties = [.. s.Properties.Where(p => !p.Name.StartsWith(MigrationPreview.PropertyPrefix + ".", StringComparison.Ordinal)), .. properties],
            Commands = WithApplyConfirmation(s.Commands, confirmation),
        });
    }

    /// <summary>A run applied what was previewed: Apply asks nothing more until the next Preview finds data loss.</summary>
    private static Task ForgetPreviewAsync(IResource worker, ResourceNotificationService notifications) =>
        notifications.PublishUpdateAsync(worker, s => s with { Commands = WithApplyConfirmation(s.Commands, null) });

    private static ImmutableArray<ResourceCommandSnapshot> WithApplyConfirmation(
        ImmutableArray<ResourceCommandSnapshot> commands, string? confirmation) =>
        [.. commands.Select(c => c.Name == DevLauncherCommands.ApplyMigrations ? c with { ConfirmationMessage = confirmation } : c)];

    /// <summary>
    /// After Undo or Reset database replaced the database under the worker: its version, total and pending files as the
    /// history now says, and what Undo would take back now, which the command knows: it replaced the database under the
    /// dev-database lock, so asking the server again would only cost the command's answer a session.
    /// </summary>
    public async Task PublishDatabaseChangedAsync(IResource worker, IReadOnlyList<string> pending, SchemaLoop.UndoStatus undo, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (await ReadHistoryAsync(services, cancellationToken) is { } history)
        {
            await services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(worker, s => s with
            {
                Properties = s.Properties.With(
                    ResourceProperties.Of(DevLauncherProperties.SchemaVersion, "Schema version", history.Version, highlighted: true),
                    ResourceProperties.Of(DevLauncherProperties.AppliedTotal, "Applied in total", history.Total, highlighted: true),
                    ResourceProperties.Of(DevLauncherProperties.Pending, "Pending", pending.Count > 0 ? string.Join(", ", pending) : "none", highlighted: true)),
            });
        }

        await PublishUndoAsync(worker, undo, services);
    }

    private bool TryBeginRun(string resourceId, DateTime? start, out int run)
    {
        var last = _runs.GetValueOrDefault(resourceId);
        run = last.Run + 1;
        if (last.Run > 0 && last.Start == start)
        {
            return false;
        }

        _runs[resourceId] = (start, run);
        return true;
    }

    private async Task<MigrationReport?> TakeReportAsync(CustomResourceSnapshot snapshot, CancellationToken cancellationToken)
    {
        var attributes = snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "OTEL_RESOURCE_ATTRIBUTES")?.Value;
        var path = MigrationReportFile.PathIn(ReportDirectory, attributes);
        var report = await ContractsJson.ReadReportAsync(path, cancellationToken);
        File.Delete(path);
        return report;
    }

    /// <returns>Null when the database cannot say: the properties then show the worker's own report.</returns>
    private async Task<SchemaHistoryState?> ReadHistoryAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HistoryTimeout);
        try
        {
            var connectionString = await database.Owner.ConnectionStringExpression.GetValueAsync(timeout.Token);
            return await SchemaHistoryReader.ReadAsync(connectionString!, timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            services.GetRequiredService<ResourceLoggerService>().GetLogger(database.Worker!)
                .LogWarning("Could not read {Table} for the dashboard: {Reason}", SchemaHistory.Table, ex.Message);
            return null;
        }
    }

    private static async Task PublishAsync(IResource worker, string resourceId, MigrationProperties properties, IServiceProvider services)
    {
        services.GetRequiredService<ResourceLoggerService>().GetLogger(resourceId).LogInformation("Run {Run}: {Summary}", properties.Run, properties.Summary);
        await services.GetRequiredService<ResourceNotificationService>()
            .PublishUpdateAsync(worker, resourceId, s => s with { Properties = properties.ApplyTo(s.Properties) });
    }

    /// <summary>
    /// The services that waited for the worker and gave up when a run failed start again once one succeeds, as they do
    /// on a normal start: nobody restarts the AppHost to get out of a failure.
    /// </summary>
    private static async Task StartServicesThatFailedAsync(IResource worker, IServiceProvider provider, CancellationToken cancellationToken)
    {
        var services = provider.GetRequiredService<DistributedApplicationModel>().WaitingFor(worker);
        var notifications = provider.GetRequiredService<ResourceNotificationService>();
        var lifecycle = new ResourceLifecycle(provider.GetRequiredService<ResourceCommandService>(), notifications);
        var failed = services.Where(s => notifications.TryGetCurrentState(s.Name, out var e) && e.Snapshot.State?.Text == KnownResourceStates.FailedToStart);
        await Task.WhenAll(failed.Select(s => lifecycle.StartAsync(s.Name, cancellationToken)));
    }

    /// <summary>
    /// A template for the current files, built in the background once the services are up, when it costs a developer
    /// nothing: Reset database then only copies it.
    /// </summary>
    private void BuildTemplateOnceServicesAreUp(IResource worker, IServiceProvider provider)
    {
        var services = provider.GetRequiredService<DistributedApplicationModel>().WaitingFor(worker);
        if (database.Loop is not { } loop)
        {
            return;
        }

        var stopping = provider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var logger = provider.GetRequiredService<ResourceLoggerService>().GetLogger(database.Owner);
        _ = Task.Run(async () =>
        {
            try
            {
                var notifications = provider.GetRequiredService<ResourceNotificationService>();
                await Task.WhenAll(services.Select(s => notifications.WaitForResourceHealthyAsync(s.Name, WaitBehavior.StopOnResourceUnavailable, stopping)));
                await loop.EnsureTemplateAsync(stopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                logger.LogWarning("The template was not built now ({Reason}); Reset database builds it when it needs it", ex.Message);
            }
        }, stopping);
    }
}
