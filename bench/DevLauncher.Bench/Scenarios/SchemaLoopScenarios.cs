using DevLauncher.Bench.Infrastructure;
using DevLauncher.Bench.Peers;
using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;
using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;
using Npgsql;

namespace DevLauncher.Bench.Scenarios;

/// <summary>
/// Scenario 9 on the bench's server: the schema loop's library against what it replaces. Reset database as a copy of a
/// template against the old Reset (drop, create, the worker process migrating and seeding from scratch); Undo as the
/// rename of the snapshot taken before the run against EF Core migrating down to the previous migration. Every database
/// made here starts with a name of this instance's own, and all of them are dropped when it is disposed.
/// </summary>
internal sealed class SchemaLoopScenarios(LocalPostgresServer server, string scratch, Report report, int iterations, ProjectMigrations project)
    : IAsyncDisposable
{
    private readonly string _baseName = $"bench9_{Guid.NewGuid():N}"[..15];
    private readonly DevServer _devServer = new(server.GetConnectionString());
    private int _databases;

    /// <param name="schema">What the files are, for the report.</param>
    /// <param name="seeds">Null for none.</param>
    public async Task ResetAsync(string schema, string migrations, string? seeds)
    {
        var scenario = $"9.1 reset, {schema}";
        var (template, build) = await BuildTemplateAsync(migrations, seeds);
        var database = NextName();
        var rows = MigrationFiles.Load(migrations, null).Migrations.Count;
        var worker = new WorkerProcess(migrations, seeds);
        var today = await Measure.RepeatAsync($"today: DROP … WITH (FORCE), CREATE, worker process migrates{(seeds is null ? "" : " and seeds")}", iterations, async _ =>
            await TimeToRowsAsync(database, rows, () => RecreateAndMigrateAsync(database, worker)));
        var templates = new Templates(_devServer, _baseName, TimeProvider.System);
        var drops = new List<double>();
        var copy = await Measure.RepeatAsync("template: Templates.ResetAsync (copy the template, swap by two renames)", iterations, async i =>
        {
            var ms = await TimeToRowsAsync(database, rows, () => templates.ResetAsync(database, template, BranchMetadata(), CancellationToken.None));
            var drop = await DropDiscardedAsync(); // as the AppHost does once the command has answered
            drops.AddRange(i >= 0 ? [drop] : []);
            return ms;
        });

        report.Add(scenario, copy, Report.Ratio(copy, today), "≤ 1000 ms");
        report.Add(scenario, today);
        var drop = new Sample("the replaced database's drop, after the command (not in a reset)", drops);
        report.Add(scenario, drop, Report.Ratio(drop, today));
        report.Add(scenario, build, Report.Ratio(build, today));
    }

    /// <returns>EF Core's figure, the peer of Undo through the AppHost too.</returns>
    public async Task<Sample> UndoAsync()
    {
        const string scenario = "9.3 undo the newest migration";
        var next = new NewMigration(ProjectMigrations.NextVersion(project.Scripts));
        var folder = project.CopyScripts(scratch);
        next.WriteTo(folder);
        var undo = new UndoSnapshots(_devServer, _baseName, TimeProvider.System);
        var ours = await Measure.RepeatAsync($"UndoSnapshots.RestoreAsync of {next.FileName}", iterations, async _ =>
        {
            var database = await UndoableDatabaseAsync(folder, next, undo);
            var ms = await TimeToRowsAsync(database, next.Version - 1, () => undo.RestoreAsync(database, BranchMetadata(), CancellationToken.None));
            await DropDiscardedAsync();
            return ms;
        });
        var efCore = await EfCoreDownAsync(folder, next);

        report.Add(scenario, ours, Report.Ratio(ours, efCore), "≤ 1000 ms");
        report.Add(scenario, efCore);
        return efCore;
    }

    /// <summary>Drops every database made here (templates and snapshots too), whatever state a failure left them in.</summary>
    public async ValueTask DisposeAsync() => await BenchDatabases.DropAllAsync(_devServer, _baseName);

    /// <summary>
    /// EF Core's migrator, in this process, taking back the newest migration with its Down(): what <c>dotnet ef database
    /// update &lt;previous&gt;</c> runs, without that command's build and start-up. Its history is kept where ours is, so
    /// that migration 0007's grant on the history finds a table.
    /// </summary>
    private async Task<Sample> EfCoreDownAsync(string folder, NewMigration next)
    {
        var scripts = MigrationFiles.Load(folder, null).Migrations;
        var migrations = scripts.Select(m => new EfMigration(Path.GetFileNameWithoutExtension(m.FileName), m.Sql, m.Version == next.Version ? next.Down : null, m.Transactional)).ToList();
        var ef = new EfCorePeer(migrations, SchemaHistory.Table.Split('.') is [var schema, var table] ? (schema, table) : null);
        var previous = migrations[^2].Name;
        return await Measure.RepeatAsync($"EF Core: MigrateAsync(\"{previous}\"), the Down() of {next.Name}", iterations, async _ =>
        {
            var database = NextName();
            await server.CreateDatabaseAsync(database);
            await ef.MigrateAsync(server.GetConnectionString(database));
            return await TimeToRowsAsync(database, next.Version - 1, () => ef.MigrateAsync(server.GetConnectionString(database), previous));
        });
    }

    /// <summary>A database at the project's newest version, then the snapshot, a run that applies <paramref name="next"/>, and the snapshot kept for Undo.</summary>
    private async Task<string> UndoableDatabaseAsync(string folder, NewMigration next, UndoSnapshots undo)
    {
        var database = NextName();
        await server.CreateDatabaseAsync(database);
        Require.That((await DevLauncherPeer.RunAsync(server.GetConnectionString(database), project.Scripts)).ExitCode == 0, "migrating to the project's version");
        await undo.TakeAsync(database, SchemaVersion.Format(next.Version - 1), CancellationToken.None);
        Require.That((await DevLauncherPeer.RunAsync(server.GetConnectionString(database), folder)).ExitCode == 0, $"applying {next.FileName}");
        await undo.CompleteAsync(database, [next.FileName], CancellationToken.None);
        return database;
    }

    /// <summary>Drops what the loop discarded, timed: the AppHost does it in the background, after the command.</summary>
    private Task<double> DropDiscardedAsync() => Measure.TimeAsync(() => _devServer.DropDiscardedAsync(_baseName, CancellationToken.None));

    /// <summary>The template for the files, built once as the AppHost builds it (the worker's engine in process, seeds included).</summary>
    private async Task<(string Name, Sample Build)> BuildTemplateAsync(string migrations, string? seeds)
    {
        var templates = new Templates(_devServer, _baseName, TimeProvider.System);
        var fingerprint = MigrationFiles.Load(migrations, seeds).Fingerprint;
        var name = "";
        var ms = await Measure.TimeAsync(async () => name = await templates.BuildAsync(fingerprint, async (connectionString, _) =>
            Require.That((await DevLauncherPeer.RunAsync(connectionString, migrations, seeds: seeds)).ExitCode == 0, "the template's migration"), CancellationToken.None));
        return (name, new Sample("template build, once per set of files (not in a reset)", [ms]));
    }

    /// <summary>What the old Reset did: on an unpooled maintenance connection drop the database with its sessions and create it empty; then the worker process.</summary>
    private async Task RecreateAndMigrateAsync(string database, WorkerProcess worker)
    {
        await using (var connection = new NpgsqlConnection(_devServer.ConnectionStringFor("postgres")))
        {
            await connection.OpenAsync();
            // Two commands: PostgreSQL runs neither statement inside the implicit transaction of a batch.
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {PostgresIdentifier.Quote(database)} WITH (FORCE)", $"CREATE DATABASE {PostgresIdentifier.Quote(database)}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        Require.That((await worker.RunAsync(server.GetConnectionString(database))).ExitCode == 0, "worker process");
    }

    /// <summary>The time of <paramref name="action"/>; then, not timed, that the database's history holds <paramref name="rows"/> migrations.</summary>
    private async Task<double> TimeToRowsAsync(string database, long rows, Func<Task> action)
    {
        var ms = await Measure.TimeAsync(action);
        await HistoryRows.ExpectAsync(server.GetConnectionString(database), rows, $"a step of scenario 9 on {database}");
        return ms;
    }

    private DevDatabaseMetadata BranchMetadata() => new(DevDatabaseKind.Branch, _baseName) { Branch = "main", CreatedAt = DateTimeOffset.UtcNow };

    private string NextName() => $"{_baseName}_{Interlocked.Increment(ref _databases)}";
}
