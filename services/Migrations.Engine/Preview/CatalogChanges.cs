namespace DevLauncher.Migrations.Engine;

/// <summary>What one statement changed, as the catalog before and after it shows: never guessed from the SQL's text.</summary>
internal sealed class CatalogChanges(CatalogSnapshot before, CatalogSnapshot after)
{
    public CatalogSnapshot After => after;

    /// <summary>Tables whose rows now live in a new file: PostgreSQL copied every row (or emptied it, for TRUNCATE).</summary>
    public IReadOnlyList<RelationRow> Rewritten =>
        [.. after.Relations.Values.Where(r => r.HasRows && before.Relations.TryGetValue(r.Oid, out var old) && old.FileNode != r.FileNode)];

    public IReadOnlyList<RelationRow> DroppedTables => [.. before.Relations.Values.Where(r => r.HasRows && !after.Relations.ContainsKey(r.Oid))];

    /// <summary>Columns gone from tables that are still there (a dropped table's columns go with it).</summary>
    public IReadOnlyList<ColumnRow> DroppedColumns =>
        [.. before.Columns.Values.Where(c => IsTable(after, c.Table) && !after.Columns.ContainsKey((c.Table, c.Number)))];

    public bool Dropped => DroppedTables.Count > 0 || DroppedColumns.Count > 0;

    /// <summary>Columns that existed before and now have another type.</summary>
    public IEnumerable<ColumnRow> TypeChanged => Existing(c => before.Columns[(c.Table, c.Number)].Type != c.Type);

    /// <summary>Columns that existed before and are NOT NULL now.</summary>
    public IEnumerable<ColumnRow> NotNullSet => Existing(c => c.NotNull && !before.Columns[(c.Table, c.Number)].NotNull);

    /// <summary>New columns of tables that existed before.</summary>
    public IEnumerable<ColumnRow> Added => after.Columns.Values.Where(c => before.Relations.ContainsKey(c.Table) && !before.Columns.ContainsKey((c.Table, c.Number)));

    /// <summary>New foreign keys and checks on tables that existed before, validated as they were added (every row checked).</summary>
    public IEnumerable<ConstraintRow> ValidatedConstraints => after.Constraints.Values.Where(k =>
        k.Type is "f" or "c" && k.Validated && !before.Constraints.ContainsKey(k.Oid) && before.Relations.ContainsKey(k.Table));

    public IEnumerable<IndexRow> NewIndexes => after.Indexes.Values.Where(i => !before.Indexes.ContainsKey(i.Oid) && before.Relations.ContainsKey(i.Table));

    /// <summary>The name of a relation that existed before or after.</summary>
    public string NameOf(long table) =>
        after.Relations.TryGetValue(table, out var now) ? now.Name : before.Relations.TryGetValue(table, out var then) ? then.Name : $"oid {table}";

    private IEnumerable<ColumnRow> Existing(Func<ColumnRow, bool> changed) =>
        after.Columns.Values.Where(c => before.Columns.ContainsKey((c.Table, c.Number)) && changed(c));

    private static bool IsTable(CatalogSnapshot snapshot, long oid) => snapshot.Relations.TryGetValue(oid, out var relation) && relation.HasRows;
}
