using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Migrations;

/// <summary>
/// Real-world SQL constructs, each applied by four workers at once and by psql one file at a time (a new session per
/// file) on another database: the two databases must dump the same, and each file is recorded once.
/// </summary>
public sealed class PsqlParityTests(PostgresFixture postgres)
{
    public static TheoryData<string> Constructs => [.. ParityFiles.All.Keys];

    [Theory]
    [MemberData(nameof(Constructs))]
    public async Task Workers_at_once_leave_the_same_database_as_psql_one_file_at_a_time(string construct)
    {
        var files = ParityFiles.All[construct];
        using var folder = new MigrationFolder();
        foreach (var (name, content) in files)
        {
            folder.WriteBytes(name, content);
        }

        var viaPsql = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        await Psql.ApplyEachAsync(viaPsql, folder.Path);
        var viaWorkers = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => InProcessWorker.RunAsync(viaWorkers, folder.Path))));

        Assert.All(results, r => Assert.True(r.ExitCode == ExitCodes.Success, r.Error));
        Assert.Equal(files.Count, results.Sum(r => r.AppliedVersions.Count));
        Assert.Equal(Enumerable.Range(1, files.Count).Select(v => ((long)v, 1L)), await Catalog.HistoryAsync(viaWorkers));
        Assert.Equal(await Psql.DumpAsync(viaPsql), await Psql.DumpAsync(viaWorkers));
    }
}
