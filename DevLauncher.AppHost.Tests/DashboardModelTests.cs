using System.Collections.Immutable;
using System.Net;
using DevLauncher.AppHost.Database;
using DevLauncher.AppHost.Health;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// The dashboard's commands and health checks as the model declares them, and what a run, a plan and a service's
/// <c>/health</c> look like on it. Nothing is started.
/// </summary>
[Trait("Requires", "None")]
public sealed class DashboardModelTests
{
    private const string Existing = "Host=db.internal;Port=5433;Database=devlauncher;Username=owner;Password=owner-secret";

    public static TheoryData<PostgresMode, string> Modes => new()
    {
        { PostgresMode.Container, "Drop the database appdb, with every table and row in it, create it again empty, migrate it and restart the services?" },
        { PostgresMode.Existing, "Drop every schema that the configured user owns in the database devlauncher (public excepted), with their tables and rows" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task The_worker_offers_Apply_and_Check_appdb_offers_Reset_with_a_confirmation_and_the_services_report_their_own_health(
        PostgresMode mode, string confirmation)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestAppHost.CreateAsync(mode, cancellationToken, extra: mode == PostgresMode.Existing ? [$"--ConnectionStrings:appdb={Existing}"] : []);

        var worker = Commands(host.Resource(ResourceNames.Migrations));
        Assert.True(worker[MigrationCommands.Apply] is { ConfirmationMessage: null, IsHighlighted: true, Visibility: ResourceCommandVisibility.UI | ResourceCommandVisibility.Api });
        Assert.True(worker[MigrationCommands.Check] is { ConfirmationMessage: null, Visibility: ResourceCommandVisibility.UI | ResourceCommandVisibility.Api });
        Assert.Equal(ResourceCommandVisibility.Api, worker[MigrationCommands.Run].Visibility);
        var reset = Commands(host.Resource(ResourceNames.Database))[ResetDatabaseCommand.Name];
        Assert.StartsWith(confirmation, reset.ConfirmationMessage, StringComparison.Ordinal);
        foreach (var service in AppResources.Services)
        {
            Assert.Equal([$"{service}_health"], host.Resource(service).Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Key));
        }
    }

    public static TheoryData<MigrationReport?, int, string, string> Runs => new()
    {
        { Report(MigrationOutcome.Applied, applied: ["0006_a.sql", "0007_b.sql"]), 0, "Finished: at 0007, 2 applied", KnownResourceStateStyles.Success },
        { Report(MigrationOutcome.UpToDate), 0, "Finished: at 0007, up to date", KnownResourceStateStyles.Success },
        { null, 0, "Finished: at 0007", KnownResourceStateStyles.Success },
        { Report(MigrationOutcome.MigrationFailed, failure: new("0004_x.sql, 42P01, line 3", "Migration 0004_x.sql failed")), 4, "Failed: 0004_x.sql, 42P01, line 3", KnownResourceStateStyles.Error },
        { null, 137, "Failed: exit code 137, no report (stopped or crashed)", KnownResourceStateStyles.Error },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_run_says_how_it_ended_in_its_state_text(MigrationReport? report, int exitCode, string text, string style)
    {
        var view = new MigrationRunView(3, exitCode, report, new SchemaHistoryState("0007", 7));

        Assert.Equal(new ResourceStateSnapshot(text, style), view.State);
    }

    [Fact]
    public void A_runs_properties_replace_the_last_runs_and_a_failure_names_its_reason_and_exit_code()
    {
        var failed = new MigrationRunView(1, 3, Report(MigrationOutcome.LockTimeout, failure: new("lock held by pid 42 (psql)", "Could not take the migration lock"), lockWaitMs: 60_000), null);
        var finished = new MigrationRunView(2, 0, Report(MigrationOutcome.UpToDate, lockWaitMs: 12), new SchemaHistoryState("0007", 7));
        ImmutableArray<ResourcePropertySnapshot> others = [new("project.path", "/src/worker.csproj")];

        var afterFailure = failed.Apply(others);
        var afterSuccess = finished.Apply(afterFailure);

        Assert.Equal("Could not take the migration lock", Value(afterFailure, MigrationRunView.FailureProperty));
        Assert.Equal("3: another session held the migration lock too long", Value(afterFailure, MigrationRunView.ExitCodeProperty));
        Assert.Equal(("60.0 s", "0006"), (Value(afterFailure, MigrationRunView.LockWaitProperty), Value(afterFailure, MigrationRunView.SchemaVersionProperty)));
        Assert.Equal((2, "0007", 0, 7L, "12 ms"), (Value(afterSuccess, MigrationRunView.RunProperty), Value(afterSuccess, MigrationRunView.SchemaVersionProperty),
            Value(afterSuccess, MigrationRunView.AppliedByRunProperty), Value(afterSuccess, MigrationRunView.AppliedTotalProperty), Value(afterSuccess, MigrationRunView.LockWaitProperty)));
        Assert.Null(Value(afterSuccess, MigrationRunView.FailureProperty));
        Assert.Null(Value(afterSuccess, MigrationRunView.ExitCodeProperty));
        Assert.Equal("/src/worker.csproj", Value(afterSuccess, "project.path"));
        Assert.Single(afterSuccess, p => p.Name == MigrationRunView.RunProperty);
    }

    [Fact]
    public void A_plan_says_what_is_pending_or_why_a_run_would_stop()
    {
        var pending = MigrationPlanText.Of(Report(MigrationOutcome.Planned, pending: ["0008_a.sql", "0009_b.sql"]));
        var nothing = MigrationPlanText.Of(Report(MigrationOutcome.Planned));
        var drift = MigrationPlanText.Of(Report(MigrationOutcome.ValidationFailed,
            problems: [new(MigrationProblemKind.Drift, "0003_c.sql", "Drift: 0003_c.sql was changed after it was applied.")],
            failure: new("drift in 0003_c.sql", "Nothing was applied. Drift: 0003_c.sql was changed after it was applied.")));

        Assert.Equal("Database at 0006; 2 pending: 0008_a.sql, 0009_b.sql.", pending.Summary);
        Assert.Equal(["Database at 0006; 2 pending: 0008_a.sql, 0009_b.sql.", "", "pending: 0008_a.sql", "pending: 0009_b.sql"], pending.Details.Split(Environment.NewLine));
        Assert.Equal("Database at 0006; nothing pending.", nothing.Summary);
        Assert.Equal("Database at 0006; the plan stops: drift in 0003_c.sql. Apply migrations would apply nothing.", drift.Summary);
        Assert.EndsWith("Drift: 0003_c.sql was changed after it was applied.", drift.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void The_services_health_on_the_dashboard_is_in_the_words_of_their_failing_checks()
    {
        var waiting = new HealthDocument("Unhealthy",
            [new("self", "Healthy", null), new("schema", "Unhealthy", SchemaGateReason.Versions(6, 3)), new("npgsql", "Unhealthy", null)]);
        var ready = new HealthDocument("Healthy", [new("self", "Healthy", null), new("schema", "Healthy", SchemaGateReason.Versions(6, 7))]);

        var unhealthy = GateHealthCheck.Describe(HttpStatusCode.ServiceUnavailable, waiting);
        var healthy = GateHealthCheck.Describe(HttpStatusCode.OK, ready);
        var notJson = GateHealthCheck.Describe(HttpStatusCode.InternalServerError, ContractsJson.ReadHealth("<html>oops</html>"));

        Assert.Equal((HealthStatus.Unhealthy, "needs schema 0006, database has 0003; npgsql is Unhealthy"), (unhealthy.Status, unhealthy.Description));
        Assert.Equal((HealthStatus.Healthy, "needs schema 0006, database has 0007"), (healthy.Status, healthy.Description));
        Assert.Equal((HealthStatus.Unhealthy, "/health answered 500"), (notJson.Status, notJson.Description));
    }

    [Fact]
    public void Aspires_start_stop_and_restart_see_a_runs_state_text_as_the_state_it_stands_for()
    {
        var worker = new ContainerResource("worker");
        string? seen = null;
        worker.Annotations.Add(new ResourceCommandAnnotation(KnownResourceCommands.StartCommand, "Start", c =>
        {
            seen = c.ResourceSnapshot.State?.Text;
            return ResourceCommandState.Enabled;
        }, _ => Task.FromResult(CommandResults.Success()), null, arguments: null, null, null, null, isHighlighted: true));

        RunStateLifecycleCommands.FollowRunStates(worker);
        RunStateLifecycleCommands.FollowRunStates(worker);
        var start = Assert.Single(worker.Annotations.OfType<ResourceCommandAnnotation>());
        start.UpdateState(new UpdateCommandStateContext { ResourceSnapshot = Snapshot("Finished: at 0007, 2 applied"), Services = new ServiceCollection().BuildServiceProvider() });
        var finished = seen;
        start.UpdateState(new UpdateCommandStateContext { ResourceSnapshot = Snapshot("Failed: 0004_x.sql, 42P01, line 3"), Services = new ServiceCollection().BuildServiceProvider() });

        Assert.Equal((KnownResourceStates.Finished, KnownResourceStates.Exited), (finished, seen));
    }

    private static Dictionary<string, ResourceCommandAnnotation> Commands(IResource resource) =>
        resource.Annotations.OfType<ResourceCommandAnnotation>().ToDictionary(c => c.Name);

    private static object? Value(ImmutableArray<ResourcePropertySnapshot> properties, string name) => properties.FirstOrDefault(p => p.Name == name)?.Value;

    private static CustomResourceSnapshot Snapshot(string state) => new() { ResourceType = "Project", Properties = [], State = state };

    private static MigrationReport Report(MigrationOutcome outcome, string[]? applied = null, string[]? pending = null,
        MigrationProblem[]? problems = null, MigrationFailure? failure = null, long lockWaitMs = 0) =>
        new(outcome, outcome is MigrationOutcome.Applied or MigrationOutcome.UpToDate or MigrationOutcome.Planned ? 0 : 5, outcome == MigrationOutcome.Planned,
            "0006", applied ?? [], pending ?? [], problems ?? [], lockWaitMs, failure);
}
