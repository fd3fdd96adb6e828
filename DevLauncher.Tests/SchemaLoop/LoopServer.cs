using DevLauncher.Migrations.Engine;
using DevLauncher.SchemaLoop;
using DevLauncher.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.Tests.SchemaLoop;

/// <summary>
/// The shared test server as the schema loop sees it, for one test: a resource name of the test's own, so that the
/// databases one test makes are invisible to the others, and the migrations a branch's files hold.
/// </summary>
public sealed class LoopServer(PostgresFixture postgres) : IAsyncDisposable
{
    public string BaseName { get; } = $"loop{Guid.NewGuid():N}"[..16];

    public DevServer Server { get; } = new(postgres.Server.GetConnectionString());

    public TimeProvider Time { get; } = TimeProvider.System;

    public string ConnectionString(string database) => postgres.Server.GetConnectionString(database);

    /// <summary>Applies the folder's migrations to the database, as the worker does.</summary>
    public async Task MigrateAsync(string database, MigrationFolder folder)
    {
        var result = await InProcessWorker.RunAsync(ConnectionString(database), folder.Path, servicePassword: postgres.ServicePassword);
        Assert.True(result.ExitCode == 0, result.Error);
        NpgsqlConnection.ClearAllPools();
    }

    public static IReadOnlyList<VersionedFile> Files(MigrationFolder folder) =>
        [.. MigrationFiles.Load(folder.Path, null).Migrations.Select(s => new VersionedFile(s.Version, s.FileName, s.Checksum))];

    /// <summary>Runs a statement, then lets go of the pool's connection: a database with a session on it cannot be copied.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await Sql.ExecuteAsync(ConnectionString(database), sql);
        NpgsqlConnection.ClearAllPools();
    }

    public async Task<T> ScalarAsync<T>(string database, string sql) => await Sql.ScalarAsync<T>(ConnectionString(database), sql);

    public async Task<IReadOnlyList<string>> DatabasesAsync()
    {
        await using var session = await Server.OpenAsync(CancellationToken.None);
        return await DatabasesAsync(session);
    }

    /// <summary>Drops every database this test made.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var session = await Server.OpenAsync(CancellationToken.None);
        foreach (var name in await DatabasesAsync(session))
        {
            await session.DropAsync(name, CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<string>> DatabasesAsync(DevServerSession session) =>
        [.. (await session.ListAsync(CancellationToken.None)).Select(d => d.Name).Where(n => n.StartsWith(BaseName, StringComparison.Ordinal))];
}
