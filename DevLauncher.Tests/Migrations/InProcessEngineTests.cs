using DevLauncher.Contracts;
using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DevLauncher.Tests.Migrations;

/// <summary>The public entry point a host uses without a worker process, MigrationEngine, and the history it writes.</summary>
public sealed class InProcessEngineTests(PostgresFixture postgres)
{
    private const string First = "CREATE TABLE public.first (id int);";
    private const string Second = "CREATE TABLE public.second (id int);";

    [Fact]
    public async Task The_engine_applies_a_folders_migrations_in_process()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        using var folder = new MigrationFolder().Write("0001_first.sql", First).Write("0002_second.sql", Second);

        var result = await RunAsync(new MigrationOptions { ConnectionString = database, Directory = folder.Path });

        Assert.Equal((MigrationOutcome.Applied, ExitCodes.Success), (result.Outcome, result.ExitCode));
        Assert.Equal([(1L, 1L), (2L, 1L)], await Catalog.HistoryAsync(database));
    }

    [Fact]
    public async Task The_engine_waits_for_the_lock_a_worker_holds()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        using var folder = new MigrationFolder().Write("0001_first.sql", First);
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey.Sql})", holder))
        {
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var result = await RunAsync(new MigrationOptions { ConnectionString = database, Directory = folder.Path, LockTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal((MigrationOutcome.LockTimeout, ExitCodes.LockTimeout, holder.ProcessID), (result.Outcome, result.ExitCode, result.Failure?.LockHolderPid));
    }

    [Theory]
    [InlineData(null, "Migrations:Directory is required in process")]
    [InlineData("/no/such/folder", "Migrations:Directory '/no/such/folder' does not exist")]
    public async Task A_bad_option_is_a_configuration_error_that_touches_no_database(string? directory, string reason)
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var result = await RunAsync(new MigrationOptions { ConnectionString = database, Directory = directory });

        Assert.Equal((MigrationOutcome.ConfigurationError, ExitCodes.Configuration), (result.Outcome, result.ExitCode));
        Assert.Contains(reason, result.Failure?.Reason, StringComparison.Ordinal);
        Assert.False(await Sql.ScalarAsync<bool>(database, $"SELECT to_regnamespace('devlauncher') IS NOT NULL"));
    }

    [Fact]
    public async Task Reading_the_history_of_a_database_no_worker_migrated_finds_nothing()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await ReadHistoryAsync(database));
    }

    [Fact]
    public async Task Reading_the_history_of_a_database_no_worker_migrated_creates_nothing()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        await ReadHistoryAsync(database);

        Assert.False(await Sql.ScalarAsync<bool>(database, $"SELECT to_regnamespace('devlauncher') IS NOT NULL"));
    }

    [Fact]
    public async Task Reading_the_history_returns_each_applied_migration_in_version_order()
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        using var folder = new MigrationFolder().Write("0002_second.sql", Second).Write("0001_first.sql", First);
        await RunAsync(new MigrationOptions { ConnectionString = database, Directory = folder.Path });

        var history = await ReadHistoryAsync(database);

        var files = MigrationFiles.Load(folder.Path, null).Migrations;
        Assert.Equal(files.Select(f => (f.Version, f.FileName, f.Checksum)), history.Select(h => (h.Version, h.ScriptName, h.Checksum)));
    }

    private static Task<MigrationRunResult> RunAsync(MigrationOptions options) =>
        MigrationEngine.RunAsync(options, NullLoggerFactory.Instance, TimeProvider.System, TestContext.Current.CancellationToken);

    private static async Task<IReadOnlyList<AppliedMigration>> ReadHistoryAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await SchemaHistory.ReadAsync(connection, TestContext.Current.CancellationToken);
    }
}
