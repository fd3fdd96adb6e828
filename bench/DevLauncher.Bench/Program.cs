using DevLauncher.Bench.Infrastructure;
using DevLauncher.Bench.Scenarios;

// A Stopwatch harness rather than BenchmarkDotNet: the scenarios are whole processes, servers and concurrent workers,
// measured end to end a few times each; every figure is reported with a peer measured in this same run.
var quick = args.Contains("--quick");
var iterations = quick ? 1 : 5;
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var root = RepositoryPaths.Root;
var configuration = RepositoryPaths.Configuration;

var report = new Report();
// EF Core migrating down one migration, measured on the bench's server: scenario 9 compares Undo through the AppHost with it too.
Sample? efUndo = null;
// Generated migration folders (and scenario 9's checkouts) live here, so a run leaves nothing behind in the temporary folder.
var scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"devlauncher-bench-scratch-{Guid.NewGuid():N}")).FullName;
try
{
    await using (var server = await ThrowAwayServer.StartAsync("bench", serverSettings: new Dictionary<string, string> { ["shared_preload_libraries"] = "pg_stat_statements" }))
    {
        var migrations = new MigrationScenarios(server, scratch, report, iterations);
        if (only is null or "1")
        {
            await migrations.ApplyAsync(50);
            await migrations.ApplyAsync(quick ? 50 : 200);
        }

        if (only is null or "2")
        {
            await migrations.UpToDateAsync();
        }

        if (only is null or "3")
        {
            await migrations.ConcurrentAsync();
            await migrations.ConcurrentProcessesAsync();
        }

        if (only is null or "4")
        {
            await migrations.HandOverAsync();
        }

        if (only is null or "7")
        {
            await migrations.AgainstPsqlAsync(50);
            await migrations.AgainstPsqlAsync(quick ? 50 : 200);
        }

        if (only is null or "preview")
        {
            await using var previews = new PreviewScenarios(server, scratch, report, iterations);
            await previews.PreviewAsync(1);
            await previews.PreviewAsync(20);
        }

        if (only is null or "9")
        {
            var project = new ProjectMigrations(root);
            await using var loop = new SchemaLoopScenarios(server, scratch, report, iterations, project);
            await loop.ResetAsync("this project's schema", project.Scripts, project.Seeds);
            await loop.ResetAsync("200 generated migrations", GeneratedMigrations.WriteFolder(scratch, GeneratedMigrations.Create(200)), seeds: null);
            efUndo = await loop.UndoAsync();
        }
    }

    if (only is null or "6")
    {
        await new EnvironmentScenarios(root, configuration, report).ThroughputAsync();
    }

    if (only is null or "8")
    {
        await new AppHostScenarios(root, configuration, report, quick ? 1 : 3).StartAsync();
    }

    if (only is null or "container")
    {
        await new ContainerScenarios(root, configuration, report, quick ? 1 : 3).RunAsync();
    }

    if (only is null or "9")
    {
        var loop = new AppHostLoopScenarios(root, configuration, scratch, report, iterations, quick ? 1 : 3);
        await loop.CommandsAsync(efUndo!);
        await loop.FirstStartAsync();
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

Console.WriteLine();
Console.WriteLine(report.Markdown());
