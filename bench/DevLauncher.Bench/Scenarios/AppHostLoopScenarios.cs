using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DevLauncher.Bench.Infrastructure;

namespace DevLauncher.Bench.Scenarios;

/// <summary>
/// Scenario 9 through the AppHost, as a developer meets it: Reset database, Apply migrations and Undo last migration
/// run by <c>dotnet aspire resource</c> against a running AppHost (local PostgreSQL, a scratch copy of the migrations,
/// a checkout of its own on main), and a new branch's first start against a warm start. The peer of every command is
/// the CLI's own cost: the same CLI running Check migrations, which changes nothing.
/// </summary>
/// <param name="starts">How many pairs of starts (a new branch's first, then again on it) scenario 9.4 measures.</param>
public sealed class AppHostLoopScenarios(string root, string configuration, string scratch, Report report, int iterations, int starts)
{
    private readonly ProjectMigrations _project = new(root);

    /// <param name="efUndo">EF Core migrating down one migration, measured on the bench's server: a peer of Undo.</param>
    public async Task CommandsAsync(Sample efUndo)
    {
        var scripts = _project.CopyScripts(scratch);
        var checkout = ScratchCheckout.Create(scratch, "main");
        await using var apphost = await RunningAppHost.StartAsync(root, configuration, settings: [checkout.Setting, $"--DevLauncher:MigrationsDirectory={scripts}"]);
        var cliAlone = await Measure.RepeatAsync("the CLI alone: check-migrations, nothing pending", iterations, async _ =>
            await Measure.TimeAsync(() => AspireCli.RunCommandAsync("migrations", "check-migrations")));
        await ResetAsync(apphost, cliAlone);
        await ApplyAndUndoAsync(scripts, cliAlone, efUndo);
    }

    /// <summary>
    /// 9.4: every start is <c>dotnet run</c> of the AppHost to all three services healthy, on one cluster. A start on
    /// main that is not measured makes main's database (migrated and seeded); then, per pair, a new branch's first start
    /// (its database copied from main's) and a start again on that branch.
    /// </summary>
    public async Task FirstStartAsync()
    {
        using var data = TemporaryFolder.Named("devlauncher-bench-branches");
        var checkout = ScratchCheckout.Create(scratch, "main");
        var (first, warm) = (new List<(double Start, double Prepare)>(), new List<(double Start, double Prepare)>());
        await StartAsync(data.Path, checkout, copiedFrom: null);
        for (var i = 0; i < starts; i++)
        {
            // Named after main: of the databases as far along as main's, the AppHost copies the first by name.
            checkout.Switch($"topic-{i}");
            first.Add(await StartAsync(data.Path, checkout, copiedFrom: "appdb_main"));
            warm.Add(await StartAsync(data.Path, checkout, copiedFrom: null));
        }

        ReportFirstStart(first, warm);
    }

    /// <summary>9.2: from the command until it returned, and until the three services' /health all answer 200 after it.</summary>
    private async Task ResetAsync(RunningAppHost apphost, Sample cliAlone)
    {
        const string scenario = "9.2 reset through the AppHost";
        var returned = new List<double>();
        var healthy = await Measure.RepeatAsync("reset-database, until all three /health answer 200", iterations, async run =>
        {
            var clock = Stopwatch.StartNew();
            await AspireCli.RunCommandAsync("appdb", "reset-database");
            returned.AddRange(run < 0 ? [] : [clock.Elapsed.TotalMilliseconds]);
            await apphost.WaitHealthyAsync();
            return clock.Elapsed.TotalMilliseconds;
        });

        var returnedSample = new Sample("reset-database, until the command returned", returned);
        report.Add(scenario, returnedSample, Report.Ratio(returnedSample, cliAlone));
        report.Add(scenario, healthy, Report.Ratio(healthy, cliAlone), "≤ 3000 ms");
        report.Add(scenario, cliAlone);
    }

    /// <summary>
    /// 9.5 and 9.3 through the AppHost, in rounds (see <see cref="RoundAsync"/>); the worker process run directly is the
    /// peer of Apply migrations, EF Core's migrator and the CLI alone are Undo's.
    /// </summary>
    private async Task ApplyAndUndoAsync(string scripts, Sample cliAlone, Sample efUndo)
    {
        var connectionString = await AspireCli.EnvironmentAsync("migrations", "ConnectionStrings__appdb");
        var worker = new WorkerProcess(scripts, _project.Seeds, RunningAppHost.ServicePassword);
        var version = ProjectMigrations.NextVersion(scripts);
        var (apply, undo) = (new List<double>(), new List<double>());
        var direct = await Measure.RepeatAsync("the worker process run directly, one new file", iterations, async run =>
        {
            var round = await RoundAsync(scripts, worker, connectionString, new NewMigration(version++));
            apply.AddRange(run < 0 ? [] : [round.Apply]);
            undo.AddRange(run < 0 ? [] : [round.Undo]);
            return round.Direct;
        });

        var (applySample, undoSample) = (new Sample("apply-migrations, one new file", apply), new Sample("undo-migration, right after apply-migrations", undo));
        report.Add("9.3 undo the newest migration", undoSample, $"{Report.Ratio(undoSample, efUndo)}, {Report.Ratio(undoSample, cliAlone)}", "≤ 1000 ms");
        report.Add("9.5 apply one new migration, services running", applySample, $"{Report.Ratio(applySample, direct)}, {Report.Ratio(applySample, cliAlone)}");
        report.Add("9.5 apply one new migration, services running", direct);
    }

    /// <summary>
    /// One round on the AppHost's database, each step checked in its history: the worker process, started directly on the
    /// worker's connection and folder, applies <paramref name="next"/>; then the file after it is written and applied by
    /// the command, taken back by Undo, and deleted, so the next round starts one version further.
    /// </summary>
    private async Task<(double Direct, double Apply, double Undo)> RoundAsync(string scripts, WorkerProcess worker, string connectionString, NewMigration next)
    {
        next.WriteTo(scripts);
        var direct = await Measure.TimeAsync(async () => Require.That((await worker.RunAsync(connectionString)).ExitCode == 0, "the worker process"));
        await HistoryRows.ExpectAsync(connectionString, next.Version, $"the worker process applied {next.FileName}");
        var after = new NewMigration(next.Version + 1);
        var file = after.WriteTo(scripts);
        var apply = await Measure.TimeAsync(() => AspireCli.RunCommandAsync("migrations", "apply-migrations"));
        await HistoryRows.ExpectAsync(connectionString, after.Version, $"apply-migrations of {after.FileName}");
        var undo = await Measure.TimeAsync(() => AspireCli.RunCommandAsync("migrations", "undo-migration"));
        await HistoryRows.ExpectAsync(connectionString, next.Version, $"undo-migration of {after.FileName}");
        File.Delete(file);
        return (direct, apply, undo);
    }

    /// <summary>
    /// Whole starts move by seconds on a shared machine, so the AppHost's own time to prepare the branch's database
    /// (appdb's log: the copy on a first start, finding it on a warm one) is reported beside them.
    /// </summary>
    private void ReportFirstStart(List<(double Start, double Prepare)> first, List<(double Start, double Prepare)> warm)
    {
        const string scenario = "9.4 a new branch's first start";
        var firstStart = new Sample("first start on a new branch, to all healthy", [.. first.Select(f => f.Start)]);
        var warmStart = new Sample("warm: the same branch again, to all healthy", [.. warm.Select(w => w.Start)]);
        report.Add(scenario, firstStart, Report.Ratio(firstStart, warmStart));
        report.Add(scenario, warmStart);
        report.Add(scenario, new Sample("first − warm, pair by pair", [.. first.Zip(warm, (f, w) => f.Start - w.Start)]), Report.Ratio(firstStart, warmStart), "≤ 1000 ms");
        var firstPrepare = new Sample("appdb prepared, first start: copied from main's (its log)", [.. first.Select(f => f.Prepare)]);
        var warmPrepare = new Sample("appdb prepared, warm start: found (its log)", [.. warm.Select(w => w.Prepare)]);
        report.Add(scenario, firstPrepare, Report.Ratio(firstPrepare, warmPrepare));
        report.Add(scenario, warmPrepare);
    }

    /// <param name="copiedFrom">The database appdb's log must say this start copied; null for one it found, or made on its first start.</param>
    /// <returns>
    /// From <c>dotnet run</c> to all healthy (the stop that follows is not timed); and the time the AppHost logged for
    /// making the branch's database ready, before the worker ran.
    /// </returns>
    private async Task<(double Start, double Prepare)> StartAsync(string dataDirectory, ScratchCheckout checkout, string? copiedFrom)
    {
        var clock = Stopwatch.StartNew();
        await using var apphost = await RunningAppHost.StartAsync(root, configuration, dataDirectory, [checkout.Setting]);
        var started = clock.Elapsed.TotalMilliseconds;
        var ready = Regex.Matches(await AspireCli.LogsAsync("appdb"), @"ready in (\d+) ms(?:, copied from (\w+))?").LastOrDefault()
            ?? throw new InvalidOperationException("appdb's log does not say how long its database took to be ready.");
        Require.That(ready.Groups[2].Success ? ready.Groups[2].Value == copiedFrom : copiedFrom is null, $"a start that copied {copiedFrom ?? "nothing"} ({ready.Value})");
        return (started, double.Parse(ready.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
