using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;
using DevLauncher.Hosting.Postgres;
using DevLauncher.SchemaLoop;
using static DevLauncher.AppHost.Tests.Infrastructure.MigrationsOnDashboard;

namespace DevLauncher.AppHost.Tests.Loop;

/// <summary>"Delete databases of deleted branches" on appdb, after a developer deleted a branch they had started the app on.</summary>
[Collection(OneLoopAppAtATime.Name)]
public sealed class DeleteGoneDatabasesTests : IDisposable
{
    private const string Feature = "feature/gone";
    private const string FeatureFile = "0008_feature.sql";
    private readonly KeptDataFolder _data = new();
    private readonly GitCheckoutFolder _checkout = GitCheckoutFolder.OnBranch("main");
    private readonly ScratchMigrations _files = ScratchMigrations.CopyOfScripts();

    private static string FeatureDatabase => DevDatabaseNames.ForBranch(ResourceNames.Database, Feature);

    /// <summary>The feature's database and the Undo snapshot its first run left, those of them that exist.</summary>
    private static string FeatureDatabases =>
        $"SELECT coalesce(string_agg(datname, ' ' ORDER BY datname), '') FROM pg_database WHERE datname IN ('{FeatureDatabase}', " +
        $"'{DevDatabaseNames.Undo(ResourceNames.Database, FeatureDatabase)}', '{DevDatabaseNames.UndoPending(ResourceNames.Database, FeatureDatabase)}')";

    [Fact]
    public async Task The_deleted_branchs_database_and_its_undo_snapshot_are_dropped_and_the_current_one_kept()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await (await StartAsync(cancellationToken)).DisposeAsync();
        _checkout.SwitchTo(Feature);
        _files.Write(FeatureFile, "CREATE TABLE app.feature (id int PRIMARY KEY);\n");
        await (await StartAsync(cancellationToken)).DisposeAsync();
        _checkout.SwitchTo("main");
        _checkout.DeleteBranch(Feature);
        File.Delete(Path.Combine(_files.Path, FeatureFile));
        await using var host = await StartAsync(cancellationToken);
        var server = await LoopApps.ServerAsync(host.App!, cancellationToken);
        Assert.Equal($"{FeatureDatabase} {DevDatabaseNames.Undo(ResourceNames.Database, FeatureDatabase)}", await Sql.ScalarAsync<string>(server, FeatureDatabases, cancellationToken));

        var deleted = await ExecuteAsync(host.App!, ResourceNames.Database, DevLauncherCommands.DeleteGoneDatabases, cancellationToken);

        Assert.True(deleted.Success, deleted.Message);
        Assert.Equal($"Dropped {FeatureDatabase}.", deleted.Message);
        Assert.Equal("", await Sql.ScalarAsync<string>(server, FeatureDatabases, cancellationToken));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(await LoopApps.OwnerAsync(host.App!, cancellationToken), "SELECT count(*) FROM devlauncher.schema_history WHERE version = 7", cancellationToken));
    }

    public void Dispose()
    {
        _files.Dispose();
        _checkout.Dispose();
        _data.Dispose();
    }

    private Task<TestAppHost> StartAsync(CancellationToken cancellationToken) =>
        LoopApps.StartWithoutServicesAsync(PostgresMode.Local, cancellationToken, _data.Argument, _checkout.Argument, _files.Argument);
}
