using System.Globalization;
using DevLauncher.Bench.Infrastructure;
using DevLauncher.Bench.Peers;
using DevLauncher.LocalPostgres;
using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;

namespace DevLauncher.Bench.Scenarios;

/// <summary>
/// Scenario "preview": Preview before Apply (copy the database, run the pending migrations on the copy while reading
/// their locks and the catalog after every statement, drop the copy) against the engine applying the same migrations
/// directly, and the copy alone. The database holds <see cref="Tables"/> tables of <see cref="Rows"/> rows; each pending
/// migration adds a column to one of them and builds an index on it. Every database made here starts with a name of
/// this instance's own, and all of them are dropped when it is disposed.
/// </summary>
internal sealed class PreviewScenarios(LocalPostgresServer server, string scratch, Report report, int iterations) : IAsyncDisposable
{
    private const int Tables = 20;
    private const int Rows = 10_000;
    private readonly string _baseName = $"benchpv_{Guid.NewGuid():N}"[..15];
    private readonly DevServer _devServer = new(server.GetConnectionString());
    private int _databases;

    public async Task PreviewAsync(int pending)
    {
        var scenario = $"preview, {pending} pending";
        var (baseFolder, fullFolder) = WriteFolders(pending);
        var database = NextName();
        await server.CreateDatabaseAsync(database);
        Require.That((await DevLauncherPeer.RunAsync(server.GetConnectionString(database), baseFolder)).ExitCode == 0, "the base migration");
        var files = MigrationFiles.Load(fullFolder, null);
        var previews = new MigrationPreviews(_devServer, _baseName, TimeProvider.System);

        var preview = await Measure.RepeatAsync("MigrationPreviews.RunAsync: copy, run reading pg_locks and the catalog, discard", iterations, async _ =>
        {
            var ms = await Measure.TimeAsync(async () => Require.That(await previews.RunAsync(database, files, CancellationToken.None) is { Failed: false } p && p.PendingFiles.Count == pending, "the preview"));
            await _devServer.DropDiscardedAsync(_baseName, CancellationToken.None); // as the AppHost does once the command has answered
            return ms;
        });
        var direct = await Measure.RepeatAsync("the engine applies them to a copy made beforehand", iterations, _ => OnACopyAsync(database, copy =>
            Measure.TimeAsync(async () => Require.That((await DevLauncherPeer.RunAsync(server.GetConnectionString(copy), fullFolder)).ExitCode == 0, "applying directly"))));
        var copying = await Measure.RepeatAsync("the copy alone (DevServerSession.CopyAsync)", iterations, _ => CopyAsync(database));

        report.Add(scenario, preview, Report.Ratio(preview, direct), "≤ copy + applying");
        report.Add(scenario, direct);
        report.Add(scenario, copying, "", "< 1000 ms");
        report.Note(scenario, "preview − (copy + applying), medians", string.Create(CultureInfo.InvariantCulture, $"{preview.Median - copying.Median - direct.Median:0.0} ms"));
    }

    /// <summary>Drops every database made here, whatever state a failure left them in.</summary>
    public async ValueTask DisposeAsync() => await BenchDatabases.DropAllAsync(_devServer, _baseName);

    /// <summary>What the preview's copy costs: made as the preview makes it, timed; dropped, not timed.</summary>
    private async Task<double> CopyAsync(string database)
    {
        var copy = NextName();
        var ms = await Measure.TimeAsync(async () =>
        {
            await using var session = await _devServer.OpenAsync(CancellationToken.None);
            await session.CopyAsync(database, copy, new DevDatabaseMetadata(DevDatabaseKind.Preview, _baseName), CancellationToken.None);
        });
        await DropAsync(copy);
        return ms;
    }

    /// <summary><paramref name="timed"/> on a copy of the database made and dropped around it, untimed.</summary>
    private async Task<double> OnACopyAsync(string database, Func<string, Task<double>> timed)
    {
        var copy = NextName();
        await server.CreateDatabaseAsync(copy, database);
        var ms = await timed(copy);
        await DropAsync(copy);
        return ms;
    }

    private async Task DropAsync(string name)
    {
        await using var session = await _devServer.OpenAsync(CancellationToken.None);
        await session.DropAsync(name, CancellationToken.None);
    }

    /// <returns>A folder with the base migration only, and one with the pending migrations after it.</returns>
    private (string Base, string Full) WriteFolders(int pending)
    {
        var tables = string.Concat(Enumerable.Range(1, Tables).Select(i => string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TABLE bench.t{i} (id bigint PRIMARY KEY, v integer NOT NULL, body text NOT NULL);
            INSERT INTO bench.t{i} SELECT n, n % 1000, 'row ' || n FROM generate_series(1, {Rows}) n;

            """)));
        var baseMigration = ("0001_base", "CREATE SCHEMA bench;\n" + tables);
        var migrations = Enumerable.Range(1, pending).Select(i => (string.Create(CultureInfo.InvariantCulture, $"{i + 1:0000}_change_t{i}"), string.Create(CultureInfo.InvariantCulture,
            $"ALTER TABLE bench.t{i} ADD COLUMN note text;\nCREATE INDEX t{i}_v_idx ON bench.t{i} (v);\n"))).ToList();
        return (GeneratedMigrations.WriteFolder(scratch, [baseMigration]), GeneratedMigrations.WriteFolder(scratch, [baseMigration, .. migrations]));
    }

    private string NextName() => $"{_baseName}_{Interlocked.Increment(ref _databases)}";
}
