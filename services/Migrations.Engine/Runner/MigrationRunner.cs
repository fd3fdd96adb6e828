using System.Diagnostics;
using System.Runtime.CompilerServices;
using DevLauncher.Contracts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Applies the pending migrations exactly once, however many workers start at once: everything from reading the
/// history to the last migration (and the seeds of a new database) happens under one session-level advisory lock on
/// one dedicated connection.
/// </summary>
internal sealed class MigrationRunner(
    NpgsqlDataSource dataSource,
    MigrationScriptSource scriptSource,
    MigrationOptions options,
    MigrationsInstrumentation instrumentation,
    SeedRunner seedRunner,
    TimeProvider timeProvider,
    ILogger<MigrationRunner> logger)
{
    private static readonly string AppliedBy = $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}";

    public async Task<MigrationRunResult> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = instrumentation.ActivitySource.StartActivity(options.PlanOnly ? "migrations.plan" : "migrations.run");

        MigrationFiles files;
        try
        {
            files = scriptSource.Load();
        }
        catch (MigrationValidationException ex)
        {
            return Fail(activity, MigrationOutcome.ValidationFailed, RunFailures.InvalidFiles(ex));
        }

        var (connection, connectionError) = await OpenAsync(cancellationToken);
        if (connection is null)
        {
            return Fail(activity, MigrationOutcome.ConfigurationError, RunFailures.Connection(connectionError!));
        }

        await using (connection)
        {
            return await RunOnConnectionAsync(connection, files, activity, cancellationToken);
        }
    }

    private async Task<(NpgsqlConnection? Connection, string? Error)> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await dataSource.OpenConnectionAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            return (null, $"Cannot connect to database '{target.Database}' on {target.Host}:{target.Port} as '{target.Username}': {ex.Message}");
        }
    }

    private async Task<MigrationRunResult> RunOnConnectionAsync(
        NpgsqlConnection connection, MigrationFiles files, Activity? activity, CancellationToken cancellationToken)
    {
        // A worker killed mid-statement leaves a dead socket; without this check the server keeps running the
        // statement, and keeps the lock, until the statement ends.
        var tables = await MigrationHistory.PrepareSessionAsync(connection, SessionDefaults.ConnectionCheck, cancellationToken);

        var attempt = await AcquireLockAsync(connection, cancellationToken);
        if (attempt.Failure is not null)
        {
            return Fail(activity, MigrationOutcome.LockTimeout, attempt.Failure) with { LockWait = attempt.Waited };
        }

        try
        {
            return await UnderLockAsync(connection, files, tables, activity, cancellationToken) with { LockWait = attempt.Waited };
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await MigrationLock.ReleaseAsync(connection, CancellationToken.None);
            }
        }
    }

    private async Task<MigrationRunResult> UnderLockAsync(
        NpgsqlConnection connection, MigrationFiles files, HistoryTables tables, Activity? activity, CancellationToken cancellationToken)
    {
        var result = options.PlanOnly
            ? await PlanUnderLockAsync(connection, files.Migrations, tables.SchemaHistory, activity, cancellationToken)
            : await RunUnderLockAsync(connection, files.Migrations, tables.SchemaHistory, activity, cancellationToken);
        var seeded = await SeedAsync(connection, result, files.Seeds, tables, activity, cancellationToken);
        // Last: setting it may cost the session (see ServiceRolePassword), and it depends on the migrations only.
        await SetServicePasswordAsync(connection, result, cancellationToken);
        return seeded;
    }

    /// <summary>
    /// Never in a plan, and only on top of a run that left every migration applied, on a database that has the seed
    /// history (one created since seeds exist). A failure keeps what the run applied: only the seeds roll back.
    /// </summary>
    private async Task<MigrationRunResult> SeedAsync(NpgsqlConnection connection, MigrationRunResult result, IReadOnlyList<SeedScript> seeds,
        HistoryTables tables, Activity? activity, CancellationToken cancellationToken)
    {
        if (options.PlanOnly || result.Outcome is not (MigrationOutcome.Applied or MigrationOutcome.UpToDate) || !tables.SeedHistoryAfterRead)
        {
            return result;
        }

        var seeding = await seedRunner.SeedAsync(connection, seeds, cancellationToken);
        if (seeding.Failure is not { } failure)
        {
            return result with { Seeded = seeding.Seeded };
        }

        var failed = Fail(activity, MigrationOutcome.SeedFailed, failure);
        return result with { Outcome = failed.Outcome, Error = failed.Error, Failure = failed.Failure };
    }

    private async Task SetServicePasswordAsync(NpgsqlConnection connection, MigrationRunResult result, CancellationToken cancellationToken)
    {
        // A plan changes nothing, the role's password included.
        if (result.ExitCode == ExitCodes.Success && !options.PlanOnly && !string.IsNullOrEmpty(options.ServicePassword)
            && await ServiceRolePassword.SetAsync(dataSource, connection, options.ServicePassword, cancellationToken))
        {
            logger.LogInformation("Service role {Role} can log in with Database:ServicePassword", ServiceRole.Name);
        }
    }

    private async Task<LockAttempt> AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var timeout = options.LockTimeout;
        using var activity = instrumentation.ActivitySource.StartActivity("migrations.lock_wait");
        var started = timeProvider.GetTimestamp();
        var acquired = await MigrationLock.TryAcquireAsync(connection, timeout, timeProvider, cancellationToken);
        var waited = timeProvider.GetElapsedTime(started);
        instrumentation.LockWait.Record(waited.TotalSeconds);
        activity?.SetTag("devlauncher.lock.wait_ms", (long)waited.TotalMilliseconds);
        activity?.SetTag("devlauncher.lock.acquired", acquired);

        if (acquired)
        {
            logger.LogInformation("Migration lock acquired after {LockWaitMs} ms", (long)waited.TotalMilliseconds);
            return new LockAttempt(waited, null);
        }

        var holder = await MigrationLock.FindHolderAsync(connection, cancellationToken);
        var error = $"Could not take the migration lock within {timeout} (Migrations:LockTimeout). It is held by " +
            (holder?.Describe(waited) ?? "a session that released it just now; run the worker again") +
            ". If that process is stuck, end it with SELECT pg_terminate_backend(<pid>).";
        activity?.SetStatus(ActivityStatusCode.Error, "lock timeout");
        return new LockAttempt(waited, RunFailures.Lock(holder, error));
    }

    /// <summary>The checks of a run, without a history table created or anything applied.</summary>
    private async Task<MigrationRunResult> PlanUnderLockAsync(NpgsqlConnection connection, IReadOnlyList<MigrationScript> scripts,
        bool historyExists, Activity? runActivity, CancellationToken cancellationToken)
    {
        var applied = historyExists ? await MigrationHistory.ReadOrCreateAsync(connection, exists: true, cancellationToken) : [];
        var plan = MigrationPlan.Create(scripts, applied);
        var result = plan.Problems.Count > 0
            ? Fail(runActivity, MigrationOutcome.ValidationFailed, RunFailures.Validation(plan.Problems), ValidationError(plan.Problems))
            : new MigrationRunResult(MigrationOutcome.Planned, []);
        if (plan.Problems.Count == 0)
        {
            logger.LogInformation("Plan only: database is at version {Version}; {PendingCount} migration(s) would be applied: {Pending}",
                plan.CurrentVersion, plan.Pending.Count, plan.Pending.Count == 0 ? "none" : string.Join(", ", plan.PendingFiles));
        }

        return plan.Progress(result, []) with { Problems = plan.Problems };
    }

    private async Task<MigrationRunResult> RunUnderLockAsync(NpgsqlConnection connection, IReadOnlyList<MigrationScript> scripts,
        bool historyExists, Activity? runActivity, CancellationToken cancellationToken)
    {
        var plan = MigrationPlan.Create(scripts, await MigrationHistory.ReadOrCreateAsync(connection, historyExists, cancellationToken));
        if (plan.Problems.Count > 0)
        {
            var failed = Fail(runActivity, MigrationOutcome.ValidationFailed, RunFailures.Validation(plan.Problems), ValidationError(plan.Problems));
            return plan.Progress(failed, []) with { Problems = plan.Problems };
        }

        if (plan.Pending.Count == 0)
        {
            logger.LogInformation("Database is up to date at version {Version}; nothing to apply", plan.CurrentVersion);
            runActivity?.SetTag("devlauncher.migrations.applied", 0);
            return plan.Progress(new MigrationRunResult(MigrationOutcome.UpToDate, []), []);
        }

        logger.LogInformation("Database is at version {Version}; applying {PendingCount} migration(s): {Pending}",
            plan.CurrentVersion, plan.Pending.Count, string.Join(", ", plan.PendingFiles));
        return await ApplyPendingAsync(connection, plan, runActivity, cancellationToken);
    }

    private async Task<MigrationRunResult> ApplyPendingAsync(NpgsqlConnection connection, MigrationPlan plan, Activity? runActivity, CancellationToken cancellationToken)
    {
        var done = new List<MigrationScript>();
        foreach (var script in plan.Pending)
        {
            if (await ApplyAsync(connection, script, cancellationToken) is { } failure)
            {
                return plan.Progress(Fail(runActivity, MigrationOutcome.MigrationFailed, failure), done);
            }

            done.Add(script);
        }

        runActivity?.SetTag("devlauncher.migrations.applied", done.Count);
        logger.LogInformation("Applied {AppliedCount} migration(s); database is at version {Version}", done.Count, done[^1].VersionLabel);
        return plan.Progress(new MigrationRunResult(MigrationOutcome.Applied, []), done);
    }

    private static string ValidationError(IReadOnlyList<MigrationProblem> problems) =>
        "Nothing was applied. " + string.Join(Environment.NewLine, problems.Select(p => p.Message));

    /// <returns>Null on success, else the failure that names the file, the SQLSTATE and the line.</returns>
    private async Task<MigrationFailure?> ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        using var activity = instrumentation.ActivitySource.StartActivity($"migration {script.VersionLabel}");
        activity?.SetTag("devlauncher.migration.version", script.Version);
        activity?.SetTag("devlauncher.migration.description", script.Description);
        activity?.SetTag("devlauncher.migration.transactional", script.Transactional);

        var current = new StrongBox<SqlStatement?>();
        var started = timeProvider.GetTimestamp();
        try
        {
            await RunAndRecordAsync(connection, script, current, started, cancellationToken);
        }
        catch (PostgresException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.SqlState);
            return await DescribeFailureAsync(connection, script, current.Value, ex, cancellationToken);
        }

        var elapsed = ElapsedMs(started);
        activity?.SetTag("devlauncher.migration.duration_ms", elapsed);
        instrumentation.Applied.Add(1);
        logger.LogInformation("Applied {Script} in {ElapsedMs} ms", script.FileName, elapsed);
        return null;
    }

    /// <summary>The script's statements, then its history row: in one transaction, or each statement on its own.</summary>
    private async Task RunAndRecordAsync(
        NpgsqlConnection connection, MigrationScript script, StrongBox<SqlStatement?> current, long started, CancellationToken cancellationToken)
    {
        var appliedAt = timeProvider.GetUtcNow();
        if (script.Transactional)
        {
            // The migration and its history row commit together or not at all.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await StatementExecutor.RunAsync(connection, script.Statements, transaction, current, cancellationToken);
            await MigrationHistory.RecordAsync(connection, transaction, script, AppliedBy, appliedAt, ElapsedMs(started), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        await NonTransactional.RepairLeftoversAsync(connection, script, logger, cancellationToken);
        // Each statement in its own implicit transaction, as CONCURRENTLY requires.
        await StatementExecutor.RunAsync(connection, script.Statements, null, current, cancellationToken);
        await MigrationHistory.RecordAsync(connection, null, script, AppliedBy, appliedAt, ElapsedMs(started), cancellationToken);
    }

    /// <summary>The failure as the worker names it; also the preview's, so the two always say the same.</summary>
    internal static async Task<MigrationFailure> DescribeFailureAsync(
        NpgsqlConnection connection, MigrationScript script, SqlStatement? failed, PostgresException ex, CancellationToken cancellationToken)
    {
        var error = $"Migration {script.FileName} failed and was {(script.Transactional ? "rolled back" : "stopped")}: " +
            SqlErrorLocation.Explain(script.Sql, failed, ex);
        var line = SqlErrorLocation.Line(script.Sql, failed, ex);
        if (script.Transactional)
        {
            return RunFailures.Migration(script, ex, line, error);
        }

        // A transaction block of the file's own that failed stays open, and refuses every statement until it ends:
        // the look-up below and the unlock would fail in it. Outside a block this is only a warning.
        await ExecuteAsync(connection, "ROLLBACK", cancellationToken);
        return RunFailures.Migration(script, ex, line, error + await NonTransactional.DescribeInvalidIndexesAsync(connection, cancellationToken));
    }

    private int ElapsedMs(long started) => (int)Math.Min(int.MaxValue, timeProvider.GetElapsedTime(started).TotalMilliseconds);

    /// <param name="error">The log's wording, when it has several lines; else the failure's reason.</param>
    private MigrationRunResult Fail(Activity? activity, MigrationOutcome status, MigrationFailure failure, string? error = null)
    {
        activity?.SetStatus(ActivityStatusCode.Error, status.ToString());
        logger.LogError("{Status}: {Error}", status, error ?? failure.Reason);
        return MigrationRunResult.Failed(status, failure, error);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>How the wait for the lock ended: <see cref="Failure"/> is null when the lock was taken.</summary>
internal sealed record LockAttempt(TimeSpan Waited, MigrationFailure? Failure);
