using System.Reflection;
using DevLauncher.Bench.Infrastructure;
using DevLauncher.Bench.Scenarios;
using DevLauncher.LocalPostgres;

// A Stopwatch harness rather than BenchmarkDotNet: the scenarios are whole processes, servers and concurrent workers,
// measured end to end a few times each; every figure is reported with a peer measured in this same run.
var quick = args.Contains("--quick");
var iterations = quick ? 1 : 5;
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var root = typeof(Report).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
var configuration = typeof(Report).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
string Dll(string folder, string name) => Path.Combine(root, folder, "bin", configuration, "net10.0", name + ".dll");

var report = new Report();
// Generated migration folders live here, so a run leaves nothing behind in the temporary folder.
var scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"devlauncher-bench-scratch-{Guid.NewGuid():N}")).FullName;
try
{
    await using (var server = await LocalPostgresServer.StartAsync(new LocalPostgresServerOptions
    {
        Directory = Path.Combine(Path.GetTempPath(), $"devlauncher-bench-{Guid.NewGuid():N}"),
        DeleteOnDispose = true,
        ServerSettings = new Dictionary<string, string> { ["shared_preload_libraries"] = "pg_stat_statements" },
    }))
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
            await migrations.ConcurrentProcessesAsync(Dll("services/Migrations", "DevLauncher.Migrations"));
        }

        if (only is null or "4")
        {
            await migrations.HandOverAsync(Dll("services/Migrations", "DevLauncher.Migrations"));
        }

        if (only is null or "7")
        {
            await migrations.AgainstPsqlAsync(50, Dll("services/Migrations", "DevLauncher.Migrations"));
            await migrations.AgainstPsqlAsync(quick ? 50 : 200, Dll("services/Migrations", "DevLauncher.Migrations"));
        }
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

if (only is null or "6")
{
    await new EnvironmentScenarios(root, configuration, report).ThroughputAsync();
}

if (only is null or "8")
{
    await new AppHostScenarios(root, configuration, report, quick ? 1 : 3).StartAsync();
}

Console.WriteLine();
Console.WriteLine(report.Markdown());
