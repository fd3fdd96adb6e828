using DevLauncher.Contracts;
using System.Diagnostics;
using DevLauncher.Migrations.Engine;
using DevLauncher.Tests.Infrastructure;
using Npgsql;

namespace DevLauncher.Tests.Migrations;

public sealed class LockTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_worker_that_cannot_get_the_lock_gives_up_naming_the_holder()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { ApplicationName = "lock-holder-test" }.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey.Sql})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var holderPid = holder.ProcessID;
        var timeout = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await new WorkerProcess(LockTimeout: timeout).RunAsync(database);
        clock.Stop();

        Assert.True(exitCode == ExitCodes.LockTimeout, output);
        Assert.Contains($"held by pid {holderPid} (application_name 'lock-holder-test', client 127.0.0.1", output, StringComparison.Ordinal);
        Assert.Contains("Migrations:LockTimeout", output, StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= timeout, $"gave up after {clock.Elapsed}, before the {timeout} timeout");
        // It gave up without touching anything: the history table is only created under the lock.
        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('devlauncher.schema_history') IS NOT NULL"));
    }

    [Fact]
    public async Task Migrations_do_not_inherit_the_lock_timeout_of_the_wait_even_after_waiting()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder()
            .Write("0001_seen.sql", "CREATE TABLE public.seen AS SELECT current_setting('lock_timeout') AS lock_timeout;");
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey.Sql})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        // Held for several wait slices, so the worker's waits end in lock_timeout errors before it gets the lock.
        var run = Task.Run(() => InProcessWorker.RunAsync(database, folder.Path));
        await WaitUntilAsync(database, "SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%pg_advisory_lock(%' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", TimeSpan.FromSeconds(30));
        await Task.Delay(MigrationLock.WaitSlice * 3);
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey.Sql})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var result = await run;

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.Equal("0", await Sql.ScalarAsync<string>(database, "SELECT lock_timeout FROM public.seen"));
    }

    [Fact]
    public async Task A_worker_killed_with_SIGKILL_mid_migration_leaves_the_next_worker_a_clean_database()
    {
        var database = await postgres.CreateDatabaseAsync();
        // The slow migration sleeps as long as a table outside its transaction says, so the rerun of the very same
        // file (same checksum) is fast once the test sets it to zero.
        await Sql.ExecuteAsync(database, "CREATE TABLE public.test_sleep (seconds int); INSERT INTO public.test_sleep VALUES (120);");
        using var folder = new MigrationFolder()
            .Write("0001_first.sql", "CREATE TABLE public.first (id int);")
            .Write("0002_slow.sql", "CREATE TABLE public.half_done (id int);\nSELECT pg_sleep((SELECT seconds FROM public.test_sleep));");

        await using (var worker = new WorkerProcess(folder.Path).Start(database))
        {
            await WaitUntilAsync(database, "SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%pg_sleep((SELECT seconds%' AND state = 'active' AND pid <> pg_backend_pid()", TimeSpan.FromSeconds(60));
            worker.KillHard();
        }

        // Without client_connection_check_interval the server would hold the lock until the 120 s sleep ends. The
        // issue's goal is ~1 s (measured 0.9 s here, and by bench/ scenario 4); the bound below leaves room for a
        // loaded CI machine while still failing if the check is missing.
        var killedAt = Stopwatch.StartNew();
        await WaitUntilAsync(database, $"SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ((classid::bigint << 32) | objid::bigint) = {MigrationLockKey.Sql})", TimeSpan.FromSeconds(15));
        TestContext.Current.TestOutputHelper?.WriteLine($"lock freed {killedAt.Elapsed} after SIGKILL");

        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('public.half_done') IS NOT NULL"), "the killed migration's table survived");
        Assert.Equal([(1L, 1L)], await Catalog.HistoryAsync(database));

        await Sql.ExecuteAsync(database, "UPDATE public.test_sleep SET seconds = 0");
        var (exitCode, output) = await new WorkerProcess(folder.Path).RunAsync(database);
        Assert.True(exitCode == ExitCodes.Success, output);
        Assert.Equal([(1L, 1L), (2L, 1L)], await Catalog.HistoryAsync(database));
        Assert.True(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('public.half_done') IS NOT NULL"));
    }

    [Fact]
    public async Task A_non_transactional_migration_runs_under_the_lock()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_table.sql", "CREATE TABLE public.items (id int, v int);");
        Assert.Equal(ExitCodes.Success, (await InProcessWorker.RunAsync(database, folder.Path)).ExitCode);

        // A transaction holding SHARE UPDATE EXCLUSIVE on the table makes CREATE INDEX CONCURRENTLY wait, so we can
        // look at the locks while the non-transactional migration is in flight.
        await using var blocker = new NpgsqlConnection(database);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE public.items IN SHARE UPDATE EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        folder.Write("0002_items_index.sql", "-- devlauncher: no-transaction\nCREATE INDEX CONCURRENTLY items_v_idx ON public.items (v);");
        var run = Task.Run(() => InProcessWorker.RunAsync(database, folder.Path));
        await WaitUntilAsync(database, "SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%CREATE INDEX CONCURRENTLY items_v_idx%' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", TimeSpan.FromSeconds(60));

        var lockHolderIsTheIndexBuilder = await Sql.ScalarAsync<bool>(database, $"""
            SELECT EXISTS (
                SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = {MigrationLockKey.Sql}
                  AND a.query LIKE '%CREATE INDEX CONCURRENTLY items_v_idx%' AND a.pid <> pg_backend_pid())
            """);
        var anotherWorkerCouldTakeIt = await Sql.ScalarAsync<bool>(database, $"SELECT pg_try_advisory_lock({MigrationLockKey.Sql})");
        await transaction.CommitAsync();
        var result = await run;

        Assert.True(lockHolderIsTheIndexBuilder, "the session building the index does not hold the migration lock");
        Assert.False(anotherWorkerCouldTakeIt, "the migration lock was free while the index was being built");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.True(await Sql.ScalarAsync<bool>(database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.items_v_idx'::regclass"));
        Assert.Equal([(1L, 1L), (2L, 1L)], await Catalog.HistoryAsync(database));
    }

    [Fact]
    public async Task A_failed_concurrent_index_is_reported_by_name()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = DuplicatesForAUniqueIndex();

        var failed = await InProcessWorker.RunAsync(database, folder.Path);

        Assert.Equal(ExitCodes.MigrationFailed, failed.ExitCode);
        Assert.Contains("0002_unique_v.sql", failed.Error, StringComparison.Ordinal);
        Assert.Contains("SQLSTATE 23505", failed.Error, StringComparison.Ordinal);
        Assert.Contains("INVALID: public.items_v_uq", failed.Error, StringComparison.Ordinal);
        Assert.Equal([(1L, 1L)], await Catalog.HistoryAsync(database));
    }

    [Fact]
    public async Task The_next_run_rebuilds_a_failed_concurrent_index()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = DuplicatesForAUniqueIndex();
        await InProcessWorker.RunAsync(database, folder.Path);
        await Sql.ExecuteAsync(database, "UPDATE public.items SET v = 8 WHERE id = 2");
        var logger = new ListLogger<MigrationRunner>();

        var repaired = await InProcessWorker.RunAsync(database, folder.Path, logger: logger);

        Assert.True(repaired.ExitCode == ExitCodes.Success, repaired.Error);
        Assert.Contains(logger.Lines, l => l.Contains("public.items_v_uq is INVALID", StringComparison.Ordinal));
        Assert.True(await Sql.ScalarAsync<bool>(database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.items_v_uq'::regclass"));
    }

    /// <summary>A table whose rows a unique index built concurrently will refuse, then that index.</summary>
    private static MigrationFolder DuplicatesForAUniqueIndex() => new MigrationFolder()
        .Write("0001_table.sql", "CREATE TABLE public.items (id int, v int);\nINSERT INTO public.items VALUES (1, 7), (2, 7);")
        .Write("0002_unique_v.sql", "-- devlauncher: no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY items_v_uq ON public.items (v);");

    [Fact]
    public async Task A_worker_killed_during_a_concurrent_index_build_leaves_an_invalid_index_the_next_worker_rebuilds()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var folder = new MigrationFolder().Write("0001_table.sql", "CREATE TABLE public.items (id int, v int);");
        Assert.Equal(ExitCodes.Success, (await InProcessWorker.RunAsync(database, folder.Path)).ExitCode);
        folder.Write("0002_items_index.sql", "-- devlauncher: no-transaction\nCREATE INDEX CONCURRENTLY items_v_idx ON public.items (v);");

        // An open transaction that wrote to the table: CONCURRENTLY enters the index in the catalog (INVALID), then
        // waits for it. That is where the worker dies.
        await using (var writer = new NpgsqlConnection(database))
        {
            await writer.OpenAsync();
            await using var transaction = await writer.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand("INSERT INTO public.items VALUES (1, 1)", writer, transaction))
            {
                await insert.ExecuteNonQueryAsync();
            }

            await using (var worker = new WorkerProcess(folder.Path).Start(database))
            {
                await WaitUntilAsync(database, "SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'items_v_idx')", TimeSpan.FromSeconds(60));
                worker.KillHard();
            }

            // Only once the server has noticed the dead worker (and ended its build) may the writer finish.
            await WaitUntilAsync(database, $"SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ((classid::bigint << 32) | objid::bigint) = {MigrationLockKey.Sql})", TimeSpan.FromSeconds(15));
            await transaction.CommitAsync();
        }

        Assert.False(await Sql.ScalarAsync<bool>(database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.items_v_idx'::regclass"));
        Assert.Equal([(1L, 1L)], await Catalog.HistoryAsync(database));

        var (exitCode, output) = await new WorkerProcess(folder.Path).RunAsync(database);

        Assert.True(exitCode == ExitCodes.Success, output);
        Assert.Contains("Index public.items_v_idx is INVALID, left by an interrupted run of 0002_items_index.sql; dropping it", output, StringComparison.Ordinal);
        Assert.True(await Sql.ScalarAsync<bool>(database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.items_v_idx'::regclass"));
        Assert.Equal([(1L, 1L), (2L, 1L)], await Catalog.HistoryAsync(database));
    }

    private static async Task WaitUntilAsync(string connectionString, string condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await Sql.ScalarAsync<bool>(connectionString, condition))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not true within {timeout}: {condition}");
            }

            await Task.Delay(50);
        }
    }
}
