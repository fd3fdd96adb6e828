using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// <see cref="SchemaHistory.Table"/>: one row per applied migration, written in the migration's own transaction. The
/// runner creates, writes and validates it; everyone reads it with <see cref="SchemaHistory"/>.
/// </summary>
internal static class MigrationHistory
{
    internal const string Table = SchemaHistory.Table;

    // Created under the lock, so two first-ever workers cannot race on it; the seed history with it, and only with it.
    private const string CreateSql = $"""
        CREATE SCHEMA IF NOT EXISTS devlauncher;
        CREATE TABLE IF NOT EXISTS {Table} (
            version      bigint      PRIMARY KEY,
            description  text        NOT NULL,
            script_name  text        NOT NULL,
            checksum     text        NOT NULL,
            applied_at   timestamptz NOT NULL DEFAULT now(),
            applied_by   text        NOT NULL,
            execution_ms integer     NOT NULL
        );
        {SeedHistory.CreateSql}
        """;

    /// <summary>
    /// Applies the worker's session settings and asks which history tables exist, in the round trip the worker makes
    /// anyway before it takes the lock. Knowing that, the read under the lock never fails with 42P01 on a new database,
    /// which would put an error span in every first trace.
    /// </summary>
    internal static async Task<HistoryTables> PrepareSessionAsync(NpgsqlConnection connection, string sessionSettings, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(sessionSettings),
                new NpgsqlBatchCommand($"SELECT to_regclass('{Table}') IS NOT NULL, to_regclass('{SeedHistory.Table}') IS NOT NULL"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken))
            {
                return new HistoryTables(reader.GetBoolean(0), reader.GetBoolean(1));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return new HistoryTables(false, false);
    }

    /// <summary>
    /// The applied migrations, in version order. Where the table did not exist before the lock, it is created (unless
    /// a worker that held the lock before us did) and read in the same round trip: a table that exists only grows, so
    /// an up-to-date run, the common case, pays for no DDL under the lock.
    /// </summary>
    internal static Task<IReadOnlyList<AppliedMigration>> ReadOrCreateAsync(NpgsqlConnection connection, bool exists, CancellationToken cancellationToken) =>
        SchemaHistory.ReadKnownAsync(connection, exists ? null : CreateSql, cancellationToken);

    /// <summary>Records the file, after putting the session back as a new connection has it (<see cref="SessionDefaults.ThenRecord"/>).</summary>
    internal static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, MigrationScript script,
        string appliedBy, DateTimeOffset appliedAt, int executionMs, CancellationToken cancellationToken)
    {
        await using var batch = SessionDefaults.ThenRecord(connection, transaction, new NpgsqlBatchCommand(
            $"INSERT INTO {Table} (version, description, script_name, checksum, applied_at, applied_by, execution_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        {
            Parameters =
            {
                new() { Value = script.Version },
                new() { Value = script.Description },
                new() { Value = script.FileName },
                new() { Value = script.Checksum },
                new() { Value = appliedAt },
                new() { Value = appliedBy },
                new() { Value = executionMs },
            },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Stops the run before anything is applied when the files and the history disagree. Each problem names the file
    /// (or the history row) so the fix is obvious.
    /// </summary>
    internal static IReadOnlyList<MigrationProblem> Validate(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<AppliedMigration> applied)
    {
        var problems = new List<MigrationProblem>();
        var byVersion = scripts.ToDictionary(s => s.Version);
        var newest = applied.Count == 0 ? 0 : applied.Max(r => r.Version);
        foreach (var row in applied)
        {
            if (!byVersion.TryGetValue(row.Version, out var script))
            {
                problems.Add(new(MigrationProblemKind.Unknown, row.ScriptName,
                    $"Unknown migration: {Table} has version {SchemaVersion.Format(row.Version)} ({row.ScriptName}), " +
                    "but no file has that version. Restore the file, or use the worker that applied it."));
            }
            else if (!string.Equals(script.Checksum, row.Checksum, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(Drift(script, row, isNewest: row.Version == newest));
            }
        }

        problems.AddRange(PendingProblems(scripts, applied));
        return problems;
    }

    /// <param name="isNewest">
    /// The highest applied version: most likely the file its author is still writing, who can undo it rather than add
    /// a migration that fixes it.
    /// </param>
    private static MigrationProblem Drift(MigrationScript script, AppliedMigration row, bool isNewest) =>
        new(MigrationProblemKind.Drift, script.FileName,
            $"Drift: {script.FileName} was changed after it was applied on {row.AppliedAt:u} " +
            $"(checksum {row.Checksum[..12]}… then, {script.Checksum[..12]}… now). " +
            "Never edit an applied migration: restore it and add a new one." +
            (isNewest
                ? $" It is the newest applied migration: while you are still writing it, you can undo it instead (the AppHost's " +
                  $"\"{DashboardCommands.UndoLastMigration}\" command restores the database to its state before {script.FileName}), then apply it again."
                : ""));

    private static IEnumerable<MigrationProblem> PendingProblems(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<AppliedMigration> applied)
    {
        var highestApplied = applied.Count == 0 ? 0 : applied.Max(r => r.Version);
        var appliedVersions = applied.Select(r => r.Version).ToHashSet();
        var pending = scripts.Where(s => !appliedVersions.Contains(s.Version)).ToList();
        // Checked when the file was read, reported only for a file still to apply: an applied file never runs again.
        foreach (var script in pending.Where(s => s.Problem is not null))
        {
            yield return new(MigrationProblemKind.InvalidFile, script.FileName, script.Problem!);
        }

        foreach (var script in pending.Where(s => s.Version < highestApplied))
        {
            yield return new(MigrationProblemKind.OutOfOrder, script.FileName,
                $"Out of order: {script.FileName} is not applied, but version {SchemaVersion.Format(highestApplied)} is. " +
                "Give it a version above the highest applied one.");
        }
    }
}

/// <summary>Which of the worker's history tables existed before it took the lock.</summary>
internal readonly record struct HistoryTables(bool SchemaHistory, bool SeedHistory)
{
    /// <summary>
    /// Whether seed_history exists once the history has been read under the lock: it did before, or the schema history
    /// did not, and the worker that created that (this one, or one before it) created seed_history in the same batch. A
    /// schema history without seed_history is a database made before seeds existed: it never gets the table.
    /// </summary>
    public bool SeedHistoryAfterRead => SeedHistory || !SchemaHistory;
}
