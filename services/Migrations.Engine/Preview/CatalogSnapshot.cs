using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>A relation of the application's schemas: a table, a partitioned table, a view, a materialized or foreign table.</summary>
/// <param name="FileNode">Where its rows are stored (<c>pg_class.relfilenode</c>): a new one means the table was rewritten.</param>
/// <param name="Kind"><c>pg_class.relkind</c>.</param>
/// <param name="Name">schema.name, quoted where it needs quotes.</param>
internal sealed record RelationRow(long Oid, long FileNode, string Kind, string Name)
{
    public bool HasRows => Kind is "r" or "m";
}

/// <param name="Type">The type as <c>format_type</c> writes it, its modifier included.</param>
internal sealed record ColumnRow(long Table, short Number, string Name, string Type, bool NotNull);

/// <param name="Type"><c>pg_constraint.contype</c>: f foreign key, c check, u unique, p primary key, x exclusion.</param>
/// <param name="Validated">False for a constraint added NOT VALID and not validated since.</param>
internal sealed record ConstraintRow(long Oid, long Table, string Type, bool Validated);

internal sealed record IndexRow(long Oid, long Table);

/// <summary>A relation lock of one session, as <c>pg_locks</c> shows it; <see cref="Granted"/> is false while it waits for it.</summary>
internal sealed record LockRow(long Relation, string Mode, bool Granted);

/// <summary>
/// The application's tables, columns, constraints and indexes as PostgreSQL's catalog holds them: taken before and after
/// each statement, the difference is what the statement did (rewrote, dropped, added), read from PostgreSQL itself.
/// </summary>
internal sealed record CatalogSnapshot(
    IReadOnlyDictionary<long, RelationRow> Relations,
    IReadOnlyDictionary<(long Table, short Number), ColumnRow> Columns,
    IReadOnlyDictionary<long, ConstraintRow> Constraints,
    IReadOnlyDictionary<long, IndexRow> Indexes)
{
    private const string UserRelations = """
        SELECT c.oid::bigint, c.relfilenode::bigint, c.relkind::text, format('%I.%I', n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f') AND n.nspname <> ALL (ARRAY['pg_catalog', 'information_schema'])
          AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
        """;

    /// <summary>The statements of one round trip, in the order <see cref="ReadAsync(Npgsql.NpgsqlConnection, CancellationToken)"/> reads their results.</summary>
    public static IEnumerable<NpgsqlBatchCommand> Commands() =>
    [
        new(UserRelations),
        new($"""
            SELECT a.attrelid::bigint, a.attnum, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull
            FROM pg_attribute a WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (SELECT oid FROM ({UserRelations}) r(oid, f, k, n))
            """),
        new($"SELECT k.oid::bigint, k.conrelid::bigint, k.contype::text, k.convalidated FROM pg_constraint k WHERE k.conrelid IN (SELECT oid FROM ({UserRelations}) r(oid, f, k, n))"),
        new($"SELECT i.indexrelid::bigint, i.indrelid::bigint FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM ({UserRelations}) r(oid, f, k, n))"),
    ];

    /// <summary>Reads the results of <see cref="Commands"/>, the reader standing on the first of them.</summary>
    public static async Task<CatalogSnapshot> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var relations = await RowsAsync(reader, r => new RelationRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3)), cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var columns = await RowsAsync(reader, r => new ColumnRow(r.GetInt64(0), r.GetInt16(1), r.GetString(2), r.GetString(3), r.GetBoolean(4)), cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var constraints = await RowsAsync(reader, r => new ConstraintRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetBoolean(3)), cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var indexes = await RowsAsync(reader, r => new IndexRow(r.GetInt64(0), r.GetInt64(1)), cancellationToken);
        return new CatalogSnapshot(
            relations.ToDictionary(r => r.Oid), columns.ToDictionary(c => (c.Table, c.Number)),
            constraints.ToDictionary(c => c.Oid), indexes.ToDictionary(i => i.Oid));
    }

    public static async Task<CatalogSnapshot> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in Commands())
        {
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>The relation locks of the session <c>$1</c> on this database, granted or waited for.</summary>
    public static NpgsqlBatchCommand LocksOf(int pid) => new(
        "SELECT relation::bigint, mode, granted FROM pg_locks WHERE pid = $1 AND locktype = 'relation' " +
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
    {
        Parameters = { new() { Value = pid } },
    };

    public static Task<List<LockRow>> ReadLocksAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        RowsAsync(reader, r => new LockRow(r.GetInt64(0), r.GetString(1), r.GetBoolean(2)), cancellationToken);

    private static async Task<List<T>> RowsAsync<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
