using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// Runs the pending migrations on a copy as the worker would (the same splitter, one transaction per file or each
/// statement on its own, the same history rows and session reset), and asks PostgreSQL after every statement what it
/// did: its new locks (<c>pg_locks</c> of this session, before the transaction ends), and the catalog's changes. A
/// statement that dropped something is taken back to a savepoint, its values counted, and run again.
/// </summary>
internal sealed class PreviewRunner(NpgsqlDataSource dataSource, NpgsqlConnection connection, TimeProvider timeProvider)
{
    public const string ApplicationName = "devlauncher-preview";

    private const string Savepoint = "devlauncher_preview";

    private CatalogSnapshot _catalog = null!;

    /// <summary>The catalog when the current transaction began: what the application could see, and wait for.</summary>
    private CatalogSnapshot _visible = null!;

    private int _transaction;

    private MigrationScript _script = null!;

    public async Task<MigrationPreview> RunAsync(MigrationFiles files, CancellationToken cancellationToken)
    {
        var tables = await MigrationHistory.PrepareSessionAsync(connection, SessionDefaults.ConnectionCheck, cancellationToken);
        // On the copy, as the worker would on the database: a new database gets its history table first.
        var plan = MigrationPlan.Create(files.Migrations, await MigrationHistory.ReadOrCreateAsync(connection, tables.SchemaHistory, cancellationToken));
        if (plan.Problems.Count > 0)
        {
            return new MigrationPreview(plan.CurrentVersion, [], RunFailures.Validation(plan.Problems));
        }

        var previewed = new List<PreviewedMigration>();
        foreach (var script in plan.Pending)
        {
            // A failed migration stops the run, as in the worker: what comes after it depends on it.
            previewed.Add(previewed.Any(p => p.Failure is not null) ? PreviewedMigration.NotRun(script) : await PreviewAsync(script, cancellationToken));
        }

        return new MigrationPreview(plan.CurrentVersion, previewed);
    }

    private async Task<PreviewedMigration> PreviewAsync(MigrationScript script, CancellationToken cancellationToken)
    {
        _script = script;
        var statements = new List<StatementPreview>();
        var current = new StrongBox<SqlStatement?>();
        try
        {
            await (script.Transactional
                ? RunInOneTransactionAsync(script, statements, current, cancellationToken)
                : RunOneByOneAsync(script, statements, current, cancellationToken));
        }
        catch (PostgresException ex)
        {
            var failure = await MigrationRunner.DescribeFailureAsync(connection, script, current.Value, ex, cancellationToken);
            await ExecuteAsync("ROLLBACK", cancellationToken); // a transactional file's; outside a block only a warning
            return PreviewedMigration.Of(script, statements, failure);
        }

        return PreviewedMigration.Of(script, statements, null);
    }

    private async Task RunInOneTransactionAsync(MigrationScript script, List<StatementPreview> statements, StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        _catalog = await CatalogSnapshot.ReadAsync(connection, cancellationToken);
        await BeginAsync(cancellationToken);
        foreach (var statement in script.Statements)
        {
            statements.Add(await StepAsync(statement, current, cancellationToken));
        }

        await RecordAsync(script, statements, cancellationToken);
        await ExecuteAsync("COMMIT", cancellationToken);
    }

    /// <summary>A no-transaction file: each statement in a transaction of its own, or in the file's own BEGIN ... COMMIT.</summary>
    private async Task RunOneByOneAsync(MigrationScript script, List<StatementPreview> statements, StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        await NonTransactional.RepairLeftoversAsync(connection, script, NullLogger.Instance, cancellationToken);
        _catalog = await CatalogSnapshot.ReadAsync(connection, cancellationToken);
        var inFileBlock = false;
        foreach (var statement in script.Statements)
        {
            var control = TransactionControl.Of(statement.Keywords);
            if (control == TransactionEffect.None)
            {
                statements.Add(inFileBlock ? await StepAsync(statement, current, cancellationToken) : await StepAloneAsync(statement, current, cancellationToken));
                continue;
            }

            await StatementExecutor.RunAsync(connection, [statement], null, current, cancellationToken);
            inFileBlock = control switch { TransactionEffect.Opens => true, TransactionEffect.Closes => false, _ => inFileBlock };
            NewTransaction();
        }

        await RecordAsync(script, statements, cancellationToken);
    }

    /// <summary>
    /// In a transaction of its own, which is how PostgreSQL runs a statement outside a block anyway, so its locks can be
    /// read before it commits; outside one when PostgreSQL refuses it in a block.
    /// </summary>
    private async Task<StatementPreview> StepAloneAsync(SqlStatement statement, StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        try
        {
            var step = await StepAsync(statement, current, cancellationToken);
            current.Value = statement; // a deferred constraint fails at COMMIT, and is this statement's
            await ExecuteAsync("COMMIT", cancellationToken);
            return step;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.ActiveSqlTransaction or PostgresErrorCodes.InvalidTransactionTermination)
        {
            // "cannot run inside a transaction block", or a COMMIT in a DO block or procedure: checked before it does anything.
            await ExecuteAsync("ROLLBACK", cancellationToken);
            return await StepOutsideAsync(statement, current, cancellationToken);
        }
    }

    /// <summary>One statement in the current transaction block, under a savepoint it can be taken back to.</summary>
    private async Task<StatementPreview> StepAsync(SqlStatement statement, StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        if (TransactionControl.IsSavepoint(statement.Keywords))
        {
            return await SavepointAsync(statement, current, cancellationToken);
        }

        var baseline = await LocksAsync($"SAVEPOINT {Savepoint}", cancellationToken);
        var (elapsed, locks, after) = await RunAndProbeAsync(statement, current, cancellationToken);
        var changes = new CatalogChanges(_catalog, after);
        IReadOnlyList<DroppedData> dropped = [];
        if (changes.Dropped)
        {
            // Counted while the values are still there, then dropped again; its first time is the one reported.
            baseline = await LocksAsync($"ROLLBACK TO SAVEPOINT {Savepoint}", cancellationToken);
            dropped = await RowCounts.DroppedAsync(connection, changes, cancellationToken);
            (_, locks, after) = await RunAndProbeAsync(statement, current, cancellationToken);
        }

        await ExecuteAsync($"RELEASE SAVEPOINT {Savepoint}", cancellationToken);
        var taken = NewLocks(locks.Except(baseline), locks);
        return await DescribeAsync(statement, elapsed, changes, taken, cancellationToken) with { Dropped = dropped };
    }

    /// <summary>
    /// The file's own savepoint statements run as they are, outside the preview's savepoint, which would otherwise
    /// release the file's savepoint with its own. They lock nothing; a ROLLBACK TO takes back what came after it.
    /// </summary>
    private async Task<StatementPreview> SavepointAsync(SqlStatement statement, StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        await StatementExecutor.RunAsync(connection, [statement], null, current, cancellationToken);
        _catalog = await CatalogSnapshot.ReadAsync(connection, cancellationToken);
        return new StatementPreview(SqlErrorLocation.LineOf(_script.Sql, statement.Offset), PreviewText.Abbreviate(statement.Text), TimeSpan.Zero, _transaction);
    }

    /// <summary>Outside any transaction block, its locks seen from a second session (<see cref="OutsideTransactionObserver"/>).</summary>
    private async Task<StatementPreview> StepOutsideAsync(SqlStatement statement, StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        NewTransaction();
        var started = timeProvider.GetTimestamp();
        (IReadOnlyList<LockRow>? Locks, TimeSpan Waited) seen;
        await using (var observer = await OutsideTransactionObserver.StartAsync(dataSource, _catalog, timeProvider, cancellationToken))
        {
            var run = StatementExecutor.RunAsync(connection, [statement], null, current, cancellationToken);
            seen = await observer.WatchAsync(connection.ProcessID, run, cancellationToken);
            await run;
        }

        var elapsed = timeProvider.GetElapsedTime(started) - seen.Waited;
        var changes = new CatalogChanges(_catalog, await CatalogSnapshot.ReadAsync(connection, cancellationToken));
        var step = await DescribeAsync(statement, elapsed, changes, NewLocks(seen.Locks ?? [], seen.Locks ?? []), cancellationToken);
        return step with { LocksObserved = seen.Locks is not null, Dropped = RowCounts.Uncounted(changes) };
    }

    private async Task<(TimeSpan Elapsed, IReadOnlyList<LockRow> Locks, CatalogSnapshot After)> RunAndProbeAsync(
        SqlStatement statement, StrongBox<SqlStatement?> current, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        await StatementExecutor.RunAsync(connection, [statement], null, current, cancellationToken);
        var elapsed = timeProvider.GetElapsedTime(started);
        current.Value = statement;
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { CatalogSnapshot.LocksOf(connection.ProcessID) } };
        foreach (var command in CatalogSnapshot.Commands())
        {
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var locks = await CatalogSnapshot.ReadLocksAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return (elapsed, locks, await CatalogSnapshot.ReadAsync(reader, cancellationToken));
    }

    /// <summary>The statement's record; the catalog it left becomes the next statement's "before".</summary>
    private async Task<StatementPreview> DescribeAsync(SqlStatement statement, TimeSpan elapsed, CatalogChanges changes, IReadOnlyList<TableLock> locks, CancellationToken cancellationToken)
    {
        _catalog = changes.After;
        return new StatementPreview(SqlErrorLocation.LineOf(_script.Sql, statement.Offset), PreviewText.Abbreviate(statement.Text), elapsed, _transaction)
        {
            Locks = locks,
            Rewrites = await RowCounts.RewritesAsync(connection, changes, cancellationToken),
            SaferForm = SaferForms.For(changes, locks),
        };
    }

    /// <summary>
    /// The relations the application could see when the transaction began on which the statement took a lock, each in
    /// the strongest mode the transaction holds on it now: an ALTER after a DROP COLUMN adds only SHARE to its table,
    /// but the application waits on the ACCESS EXCLUSIVE the transaction already holds.
    /// </summary>
    private IReadOnlyList<TableLock> NewLocks(IEnumerable<LockRow> taken, IReadOnlyList<LockRow> held) =>
    [
        .. taken.Select(l => l.Relation).Distinct().Where(_visible.Relations.ContainsKey)
            .Select(r => new TableLock(_visible.Relations[r].Name, held.Where(l => l.Relation == r).MaxBy(l => LockModes.Strength(l.Mode))!.Mode)),
    ];

    /// <summary><paramref name="sql"/>, then this session's relation locks, in one round trip.</summary>
    private async Task<IReadOnlyList<LockRow>> LocksAsync(string sql, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { new(sql), CatalogSnapshot.LocksOf(connection.ProcessID) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await CatalogSnapshot.ReadLocksAsync(reader, cancellationToken);
    }

    private async Task BeginAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync("BEGIN", cancellationToken);
        NewTransaction();
    }

    private void NewTransaction()
    {
        _visible = _catalog;
        _transaction++;
    }

    /// <summary>The file's history row on the copy, after the session reset, as the worker writes it.</summary>
    private Task RecordAsync(MigrationScript script, List<StatementPreview> statements, CancellationToken cancellationToken) =>
        MigrationHistory.RecordAsync(connection, null, script, ApplicationName, timeProvider.GetUtcNow(),
            (int)Math.Min(int.MaxValue, statements.Sum(s => s.Elapsed.TotalMilliseconds)), cancellationToken);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
