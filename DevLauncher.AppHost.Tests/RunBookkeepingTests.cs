using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Database;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// A run's end as the integration handles it, with the bookkeeping after the run (the Undo snapshot kept, what Undo
/// would take back) failing: the run must still be published, since Apply migrations waits for its number.
/// </summary>
public sealed class RunBookkeepingTests
{
    [Fact]
    public async Task A_run_is_published_when_the_bookkeeping_after_it_fails()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(PostgresMode.Local, cancellationToken);
        // Built until BeforeStart, the server is held back and never answers: the loop has no server to keep the run's
        // Undo snapshot on, and the bookkeeping throws whatever the timing.
        var app = await host.BuildUntilBeforeStartAsync(cancellationToken);
        var worker = host.Resource(ResourceNames.Migrations);
        var runs = worker.Annotations.OfType<MigrationWorkerAnnotation>().Single().Runs;
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        // The replica's id, as the orchestrator would name it in the run's stop event.
        await notifications.PublishUpdateAsync(worker, s => s);
        var replica = (await notifications.WaitForResourceAsync(worker.Name, _ => true, cancellationToken)).ResourceId;
        var snapshot = new CustomResourceSnapshot
        {
            ResourceType = "Project",
            Properties = [],
            State = KnownResourceStates.Finished,
            ExitCode = 0,
            StartTimeStamp = DateTime.UtcNow,
        };

        await runs.OnStoppedAsync(worker, new ResourceStoppedEvent(worker, app.Services, new ResourceEvent(worker, replica, snapshot)), cancellationToken);

        Assert.True(notifications.TryGetCurrentState(replica, out var published));
        Assert.Equal(1, published.Snapshot.Properties.Single(p => p.Name == DevLauncherProperties.Run).Value);
        Assert.StartsWith("Undo is not available", (string?)published.Snapshot.Properties.Single(p => p.Name == DevLauncherProperties.Undo).Value, StringComparison.Ordinal);
    }
}
