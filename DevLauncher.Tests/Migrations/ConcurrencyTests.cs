using System.Text.RegularExpressions;
using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Migrations;

/// <summary>The failure this product exists to prevent: several workers starting at once on one database.</summary>
public sealed partial class ConcurrencyTests(PostgresFixture postgres)
{
    private static readonly IReadOnlyList<long> AllVersions =
        new MigrationScriptSource(new MigrationOptions(), new EmbeddedMigrations(DevLauncher.Migrations.WorkerScripts.Assembly)).Load().Migrations.Select(s => s.Version).ToList();

    [Fact]
    public async Task Eight_workers_started_at_once_apply_each_migration_once()
    {
        var reference = await SerialReferenceCatalogAsync();
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var processes = Enumerable.Range(0, 4).Select(_ => new WorkerProcess().Start(database)).ToList();
        var inProcess = Enumerable.Range(0, 4).Select(_ => Task.Run(() => InProcessWorker.RunAsync(database))).ToList();

        var results = await Task.WhenAll(inProcess);
        var processOutcomes = new List<(int ExitCode, string Output)>();
        foreach (var process in processes)
        {
            await using (process)
            {
                processOutcomes.Add((await process.WaitForExitAsync(TimeSpan.FromMinutes(3)), process.Output));
            }
        }

        Assert.All(results, r => Assert.Equal(ExitCodes.Success, r.ExitCode));
        Assert.All(processOutcomes, p => Assert.True(p.ExitCode == ExitCodes.Success, p.Output));

        // Exactly one worker applied the migrations; the other seven found nothing to do.
        var appliedByProcesses = processOutcomes.Sum(p => AppliedCount(p.Output));
        var appliedInProcess = results.Sum(r => r.AppliedVersions.Count);
        Assert.Equal(AllVersions.Count, appliedByProcesses + appliedInProcess);
        Assert.Equal(7, results.Count(r => r.Outcome == MigrationOutcome.UpToDate) +
            processOutcomes.Count(p => p.Output.Contains("nothing to apply", StringComparison.Ordinal)));

        Assert.Equal(AllVersions.Select(v => (v, 1L)), await Catalog.HistoryAsync(database));
        Assert.Equal(reference, await Catalog.SnapshotAsync(database));
    }

    [Fact]
    public async Task Thirty_two_concurrent_runs_leave_the_same_schema_as_one_serial_run()
    {
        var reference = await SerialReferenceCatalogAsync();
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        using var start = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await InProcessWorker.RunAsync(database);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == ExitCodes.Success, r.Error));
        Assert.Single(results, r => r.Outcome == MigrationOutcome.Applied);
        Assert.Equal(AllVersions.Count, results.Sum(r => r.AppliedVersions.Count));
        Assert.Equal(AllVersions.Select(v => (v, 1L)), await Catalog.HistoryAsync(database));
        Assert.Equal(reference, await Catalog.SnapshotAsync(database));
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var first = await InProcessWorker.RunAsync(database);
        var catalogAfterFirst = await Catalog.SnapshotAsync(database);
        var (exitCode, output) = await new WorkerProcess().RunAsync(database);

        Assert.Equal(MigrationOutcome.Applied, first.Outcome);
        Assert.Equal(AllVersions, first.AppliedVersions);
        Assert.True(exitCode == ExitCodes.Success, output);
        Assert.Contains($"up to date at version {SchemaVersion.Format(AllVersions[^1])}; nothing to apply", output, StringComparison.Ordinal);
        Assert.Equal(catalogAfterFirst, await Catalog.SnapshotAsync(database));
        Assert.Equal(AllVersions.Select(v => (v, 1L)), await Catalog.HistoryAsync(database));
    }

    private async Task<IReadOnlyList<string>> SerialReferenceCatalogAsync()
    {
        var serial = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var result = await InProcessWorker.RunAsync(serial);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        var catalog = await Catalog.SnapshotAsync(serial);
        Assert.Contains(catalog, line => line.StartsWith("index app.messages_thread_created_idx", StringComparison.Ordinal) && line.EndsWith("valid=true", StringComparison.Ordinal));
        return catalog;
    }

    private static int AppliedCount(string output) =>
        AppliedPattern().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"Applied (\d+) migration\(s\)")]
    private static partial Regex AppliedPattern();
}
