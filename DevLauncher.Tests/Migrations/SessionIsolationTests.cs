using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.Tests.Migrations;

/// <summary>Every file starts with the session state a new connection has, as under psql, and the worker keeps its own.</summary>
public sealed class SessionIsolationTests(PostgresFixture postgres)
{
    private const string Observe = """
        CREATE TABLE public.observed AS SELECT
          current_setting('TimeZone') AS timezone,
          current_setting('search_path') AS search_path,
          current_setting('work_mem') AS work_mem,
          current_user::text AS current_user_name,
          current_setting('role') AS role,
          (SELECT count(*) FROM pg_prepared_statements) AS prepared,
          (SELECT count(*) FROM pg_cursors WHERE name = 'held') AS cursors,
          to_regclass('pg_temp.scratch') IS NULL AS no_temp_table,
          nextval('public.cached') AS next_value,
          current_setting('client_connection_check_interval') AS check_interval,
          current_setting('application_name') AS application_name,
          EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()) AS holds_lock;
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_session_state_of_one_file_reaches_the_next(bool transactional)
    {
        var database = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var role = $"session_test_{Guid.NewGuid():N}";
        await Sql.ExecuteAsync(database, $"CREATE ROLE {role}");
        var marker = transactional ? "" : "-- devlauncher: no-transaction\n";
        using var folder = new MigrationFolder()
            .Write("0001_dirty.sql", marker + $"""
                SET timezone = 'Pacific/Auckland';
                SELECT pg_catalog.set_config('search_path', '', false);
                SET work_mem = '7MB';
                CREATE TEMP TABLE scratch (v int);
                PREPARE leftover AS SELECT 1;
                DECLARE held CURSOR WITH HOLD FOR SELECT 1;
                CREATE SEQUENCE public.cached CACHE 10;
                SELECT nextval('public.cached');
                SET ROLE {role};
                """)
            .Write("0002_observe.sql", Observe);
        var fresh = await FreshSessionAsync(database);

        var result = await InProcessWorker.RunAsync(database, folder.Path);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        var observed = await ObservedAsync(database);
        Assert.Equal(fresh with { NextValue = 11, CheckInterval = "1s", ApplicationName = $"{WorkerDataSource.ApplicationName} (test)", HoldsLock = true }, observed);
    }

    private sealed record Session(string TimeZone, string SearchPath, string WorkMem, string CurrentUser, string Role,
        long Prepared, long Cursors, bool NoTempTable, long NextValue, string CheckInterval, string ApplicationName, bool HoldsLock);

    private static async Task<Session> FreshSessionAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('TimeZone'), current_setting('search_path'), current_setting('work_mem'), current_user::text, current_setting('role')",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Session(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            0, 0, true, 0, "", "", false);
    }

    private static async Task<Session> ObservedAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM public.observed", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Session(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetInt64(5), reader.GetInt64(6), reader.GetBoolean(7), reader.GetInt64(8), reader.GetString(9), reader.GetString(10),
            reader.GetBoolean(11));
    }
}
