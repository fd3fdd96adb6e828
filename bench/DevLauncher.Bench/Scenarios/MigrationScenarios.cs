using System.Diagnostics;
using System.Globalization;
using DevLauncher.Bench.Infrastructure;
using DevLauncher.Bench.Peers;
using DevLauncher.Contracts;
using DevLauncher.LocalPostgres;
using DevLauncher.Migrations.Engine;
using Npgsql;

namespace DevLauncher.Bench.Scenarios;

/// <summary>Scenarios 1 to 4: the worker against EF Core and DbUp, each run on a fresh database of one server.</summary>
internal sealed class MigrationScenarios(LocalPostgresServer server, string scratch, Report report, int iterations)
{
    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromMinutes(10);
    private int _databases;

    public async Task ApplyAsync(int count)
    {
        var migrations = GeneratedMigrations.Create(count);
        var folder = GeneratedMigrations.WriteFolder(scratch, migrations);
        var ef = new EfCorePeer(migrations);
        var scenario = $"1. apply {count} migrations";

        var ours = await Measure.RepeatAsync("DevLauncher worker", iterations, async _ =>
        {
            var db = await FreshDatabaseAsync();
            return await Measure.TimeAsync(async () => Require.That((await DevLauncherPeer.RunAsync(db, folder)).ExitCode == 0, "worker"));
        });
        var efCore = await Measure.RepeatAsync("EF Core MigrateAsync", iterations, async _ =>
        {
            var db = await FreshDatabaseAsync();
            return await Measure.TimeAsync(() => ef.MigrateAsync(db));
        });
        var dbUp = await Measure.RepeatAsync("DbUp", iterations, async _ =>
        {
            var db = await FreshDatabaseAsync();
            return await Measure.TimeAsync(() => Task.Run(() => Require.That(DbUpPeer.Run(db, folder).Successful, "DbUp")));
        });

        report.Add(scenario, ours, $"{Report.Ratio(ours, efCore)}, {Report.Ratio(ours, dbUp)}", count == 200 ? "≤ 0.50x EF Core" : "");
        report.Add(scenario, efCore);
        report.Add(scenario, dbUp);
    }

    public async Task UpToDateAsync()
    {
        var migrations = GeneratedMigrations.Create(50);
        var folder = GeneratedMigrations.WriteFolder(scratch, migrations);
        var ef = new EfCorePeer(migrations);
        var oursDb = await FreshDatabaseAsync();
        var efDb = await FreshDatabaseAsync();
        await DevLauncherPeer.RunAsync(oursDb, folder);
        await ef.MigrateAsync(efDb);

        var oursDbTime = new List<double>();
        var efDbTime = new List<double>();
        var ours = await Measure.RepeatAsync("DevLauncher worker, 50 applied", iterations * 3, async _ =>
        {
            await ResetStatementsAsync(oursDb);
            var ms = await Measure.TimeAsync(async () => Require.That((await DevLauncherPeer.RunAsync(oursDb, folder)).ExitCode == 0, "worker"));
            oursDbTime.Add(await DatabaseTimeAsync(oursDb));
            return ms;
        });
        var efCore = await Measure.RepeatAsync("EF Core MigrateAsync, 50 applied", iterations * 3, async _ =>
        {
            await ResetStatementsAsync(efDb);
            var ms = await Measure.TimeAsync(() => ef.MigrateAsync(efDb));
            efDbTime.Add(await DatabaseTimeAsync(efDb));
            return ms;
        });

        report.Add("2. up-to-date run", ours, Report.Ratio(ours, efCore));
        report.Add("2. up-to-date run", efCore);
        var oursDbSample = new Sample("DevLauncher: database time", oursDbTime);
        var efDbSample = new Sample("EF Core: database time", efDbTime);
        report.Add("2. up-to-date run", oursDbSample, Report.Ratio(oursDbSample, efDbSample), "< 50 ms");
        report.Add("2. up-to-date run", efDbSample);
    }

    public async Task ConcurrentAsync()
    {
        var migrations = GeneratedMigrations.Create(50);
        var folder = GeneratedMigrations.WriteFolder(scratch, migrations);
        var ef = new EfCorePeer(migrations);
        Sample? oursAlone = null;
        Sample? efAlone = null;
        // Three times the iterations: one run takes a fifth of a second, and the lone worker is the denominator of
        // every ratio here, so its median must not rest on five noisy samples.
        var runs = iterations * 3;
        foreach (var workers in new[] { 1, 8, 32 })
        {
            var oursFailures = 0;
            var ours = await Measure.RepeatAsync($"DevLauncher, {workers} at once", runs, async run =>
            {
                var db = await FreshDatabaseAsync();
                return await Measure.TimeAsync(async () =>
                {
                    var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => DevLauncherPeer.RunAsync(db, folder))));
                    oursFailures += run < 0 ? 0 : results.Count(r => r.ExitCode != 0);
                });
            });
            var efFailures = 0;
            var efCore = await Measure.RepeatAsync($"EF Core, {workers} at once", runs, async run =>
            {
                var db = await FreshDatabaseAsync();
                return await Measure.TimeAsync(async () =>
                {
                    var attempts = Enumerable.Range(0, workers).Select(_ => Task.Run(() => ef.MigrateAsync(db))).ToList();
                    foreach (var attempt in attempts)
                    {
                        try
                        {
                            await attempt;
                        }
                        catch (Exception ex) when (ex is PostgresException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
                        {
                            efFailures += run < 0 ? 0 : 1; // the warm-up run is not counted
                        }
                    }
                });
            });

            oursAlone ??= ours;
            efAlone ??= efCore;
            var runsTotal = workers * runs;
            report.Add("3. concurrent start (50 migrations)", ours,
                $"{Report.Ratio(ours, oursAlone)}; failed runs {oursFailures}/{runsTotal}", workers == 8 ? "≤ 1.3x alone, 0 failures" : "");
            report.Add("3. concurrent start (50 migrations)", efCore, $"{Report.Ratio(efCore, efAlone)}; failed runs {efFailures}/{runsTotal}");
        }
    }

    /// <summary>
    /// Scenario 3 as users meet it: worker processes started at once (several AppHosts on one existing server, worker
    /// replicas under one AppHost). Each process's .NET start-up competes for the same two cores, so beside the lone worker the peer is
    /// the same number of processes on a database that is already up to date: start-up and an up-to-date check only.
    /// </summary>
    public async Task ConcurrentProcessesAsync()
    {
        const string scenario = "3. concurrent start, worker processes";
        var folder = GeneratedMigrations.WriteFolder(scratch, GeneratedMigrations.Create(50));
        var upToDate = await FreshDatabaseAsync();
        Require.That(await RunWorkersAsync(upToDate, folder, 1) == 0, "worker process");
        Sample? alone = null;
        foreach (var workers in new[] { 1, 8 })
        {
            var failures = 0;
            var fresh = await Measure.RepeatAsync($"{workers} at once, fresh database", iterations, async run =>
            {
                var db = await FreshDatabaseAsync();
                return await Measure.TimeAsync(async () =>
                {
                    var failed = await RunWorkersAsync(db, folder, workers);
                    failures += run < 0 ? 0 : failed;
                });
            });
            var startUp = await Measure.RepeatAsync($"{workers} at once, up to date (start-up)", iterations, async _ =>
                await Measure.TimeAsync(async () => Require.That(await RunWorkersAsync(upToDate, folder, workers) == 0, "worker process")));

            alone ??= fresh;
            report.Add(scenario, fresh, $"{Report.Ratio(fresh, alone)}, {Report.Ratio(fresh, startUp)}; failed runs {failures}/{workers * iterations}",
                workers == 8 ? "≤ 1.3x alone, 0 failures" : "");
            report.Add(scenario, startUp);
        }
    }

    public async Task HandOverAsync()
    {
        var afterRelease = await Measure.RepeatAsync("after the holder's unlock", iterations * 3, async _ =>
        {
            var db = await FreshDatabaseAsync();
            await using var holder = new NpgsqlConnection(db);
            await holder.OpenAsync();
            await ExecuteAsync(holder, $"SELECT pg_advisory_lock({MigrationLockKey.Sql})");
            await using var waiter = new NpgsqlConnection(db);
            await waiter.OpenAsync();
            var acquired = MigrationLock.TryAcquireAsync(waiter, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
            await Task.Delay(300);
            var released = Stopwatch.GetTimestamp();
            await ExecuteAsync(holder, $"SELECT pg_advisory_unlock({MigrationLockKey.Sql})");
            Require.That(await acquired, "hand-over");
            return Stopwatch.GetElapsedTime(released).TotalMilliseconds;
        });
        report.Add("4. lock hand-over", afterRelease);

        var afterKill = await Measure.RepeatAsync("after SIGKILL of the holder", iterations, async _ =>
        {
            var db = await FreshDatabaseAsync();
            var folder = GeneratedMigrations.WriteFolder(scratch, [("0001_slow", "CREATE TABLE slow (id int);\nSELECT pg_sleep(60);")]);
            await using var worker = new WorkerProcess(folder).Start(db);
            await WaitUntilAsync(db, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%')");
            await using var waiter = new NpgsqlConnection(db);
            await waiter.OpenAsync();
            var acquired = MigrationLock.TryAcquireAsync(waiter, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
            await Task.Delay(300);
            var killed = Stopwatch.GetTimestamp();
            worker.KillHard();
            Require.That(await acquired, "hand-over after kill");
            return Stopwatch.GetElapsedTime(killed).TotalMilliseconds;
        });
        report.Add("4. lock hand-over", afterKill, "", "< 2000 ms");
    }

    /// <summary>
    /// Scenario 7: the same generated files applied by psql, the floor (one process per file, as shell-script runners
    /// do, and one session for all), by the worker's runner in process and by the worker process. The worker's
    /// bookkeeping (lock, history, session reset between files) is measured as its share of the server's time.
    /// </summary>
    public async Task AgainstPsqlAsync(int count)
    {
        var scenario = $"7. apply {count} migrations, against psql";
        var folder = GeneratedMigrations.WriteFolder(scratch, GeneratedMigrations.Create(count));
        var files = Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal).ToList();
        var psqlEach = await Measure.RepeatAsync("psql, one process per file", iterations, async _ =>
        {
            var db = await FreshDatabaseAsync();
            return await Measure.TimeAsync(() => PsqlPeer.RunEachAsync(db, files));
        });
        var psqlSession = await Measure.RepeatAsync("psql, one session", iterations, async _ =>
        {
            var db = await FreshDatabaseAsync();
            return await Measure.TimeAsync(() => PsqlPeer.RunSessionAsync(db, files));
        });
        var shares = new List<double>();
        var ours = await Measure.RepeatAsync("DevLauncher worker (in process)", iterations, async run =>
        {
            var db = await FreshDatabaseAsync();
            await ResetStatementsAsync(db);
            var ms = await Measure.TimeAsync(async () => Require.That((await DevLauncherPeer.RunAsync(db, folder)).ExitCode == 0, "worker"));
            shares.AddRange(run < 0 ? [] : [await BookkeepingShareAsync(db)]);
            return ms;
        });
        var process = await Measure.RepeatAsync("DevLauncher worker process", iterations, async _ =>
        {
            var db = await FreshDatabaseAsync();
            return await Measure.TimeAsync(async () => Require.That(await RunWorkersAsync(db, folder, 1) == 0, "worker process"));
        });

        report.Add(scenario, psqlEach);
        report.Add(scenario, psqlSession, Report.Ratio(psqlSession, psqlEach));
        report.Add(scenario, ours, $"{Report.Ratio(ours, psqlEach)}, {Report.Ratio(ours, psqlSession)}", "≤ 1.0x psql, one process per file");
        report.Add(scenario, process, $"{Report.Ratio(process, psqlEach)}, {Report.Ratio(process, psqlSession)}");
        report.Add(scenario, new Sample("worker's bookkeeping, share of server time", shares, "%"), "", "≤ 1%");
    }

    /// <summary>
    /// The server time of the worker's own statements (the lock, the history, the session reset and the worker's
    /// setting) as a percentage of all the server time of the run. BEGIN and COMMIT count as the migrations': psql
    /// commits too, once per statement.
    /// </summary>
    private static async Task<double> BookkeepingShareAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT coalesce(100 * sum(total_exec_time + total_plan_time) FILTER (WHERE query ~* $1)
                            / nullif(sum(total_exec_time + total_plan_time), 0), 0)::float8
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT LIKE '%pg_stat_statements%'
            """, connection)
        {
            Parameters =
            {
                new() { Value = @"devlauncher\.|pg_advisory|client_connection_check_interval|lock_timeout|^(CLOSE ALL|SET SESSION AUTHORIZATION|RESET ALL|DEALLOCATE ALL|UNLISTEN|DISCARD)" },
            },
        };
        return (double)(await command.ExecuteScalarAsync())!;
    }

    /// <returns>How many of the worker processes exited with a non-zero code.</returns>
    private static async Task<int> RunWorkersAsync(string db, string folder, int count)
    {
        var workers = Enumerable.Range(0, count).Select(_ => new WorkerProcess(folder).Start(db)).ToList();
        var failed = 0;
        foreach (var worker in workers)
        {
            await using (worker)
            {
                failed += await worker.WaitForExitAsync(WorkerTimeout) == 0 ? 0 : 1;
            }
        }

        return failed;
    }

    private async Task<string> FreshDatabaseAsync()
    {
        // Every earlier database keeps idle pooled connections (EF's, ours for pg_stat_statements); close them, or a
        // few hundred databases in, the server runs out of connection slots.
        NpgsqlConnection.ClearAllPools();
        var name = $"bench_{Interlocked.Increment(ref _databases)}";
        await server.CreateDatabaseAsync(name, "template0");
        var connectionString = server.GetConnectionString(name);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        return connectionString;
    }

    private static async Task ResetStatementsAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SELECT pg_stat_statements_reset()");
    }

    /// <summary>Time the server spent executing (and planning) this database's statements since the last reset.</summary>
    private static async Task<double> DatabaseTimeAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT coalesce(sum(total_exec_time + total_plan_time), 0)::float8 FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT LIKE '%pg_stat_statements%'
            """, connection);
        return (double)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitUntilAsync(string db, string condition)
    {
        for (var i = 0; i < 600; i++)
        {
            await using var connection = new NpgsqlConnection(db);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(condition, connection);
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException(condition);
    }

    public static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
