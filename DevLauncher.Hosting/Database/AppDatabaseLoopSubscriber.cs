using DevLauncher.Hosting.Postgres;
using DevLauncher.Hosting.Terminal;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Hosting.Database;

/// <summary>
/// The schema loop's part of the app's start, for every app database on a server the AppHost runs: its name is chosen
/// from the checkout's HEAD before anything starts, and the branch's database is made ready once its server is. A
/// failure (a migration folder that is gone, a copy PostgreSQL refuses) fails the database with its reason, which the
/// terminal shows; starting the server again retries.
/// </summary>
internal sealed class AppDatabaseLoopSubscriber(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService loggers,
    FailureReasons reasons,
    TimeProvider time,
    IHostApplicationLifetime lifetime)
    : IDistributedApplicationEventingSubscriber
{
    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (!executionContext.IsRunMode)
        {
            return Task.CompletedTask;
        }

        foreach (var (resource, database) in model.AppDatabases())
        {
            if (resource is AppDatabaseResource branchDatabase && database.HasLoop)
            {
                var loop = database.Loop = new AppDatabaseLoop(branchDatabase, database, time, notifications, loggers, lifetime);
                eventing.Subscribe<BeforeStartEvent>((_, _) =>
                {
                    loop.ChooseDatabase();
                    return Task.CompletedTask;
                });
                eventing.Subscribe<ResourceReadyEvent>(branchDatabase.Parent, (_, ct) => PrepareAsync(loop, branchDatabase, ct));
            }
        }

        return Task.CompletedTask;
    }

    private async Task PrepareAsync(AppDatabaseLoop loop, AppDatabaseResource database, CancellationToken cancellationToken)
    {
        try
        {
            await loop.PrepareAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            reasons.Record(database.Name, ex.Message);
            loggers.GetLogger(database).LogError(ex, "The branch's database could not be made ready: {Reason}", ex.Message);
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
            return;
        }

        if (database.Parent is LocalPostgresServerResource)
        {
            // Aspire hands a container's state down to its databases but not an executable's.
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running });
        }
    }
}
