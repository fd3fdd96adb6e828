namespace DevLauncher.Migrations.Engine;

/// <summary>
/// A safer way to write a statement, where PostgreSQL has one, keyed on what PostgreSQL reported it did (the lock it
/// took, a rewrite) and what kind of change the catalog shows (an index, a constraint, a column's type or NOT NULL).
/// </summary>
internal static class SaferForms
{
    public static string? For(CatalogChanges changes, IReadOnlyList<TableLock> locks)
    {
        var rewritten = changes.Rewritten.Select(r => r.Oid).ToHashSet();
        // A rewrite first: it rebuilds the table's indexes, which are new indexes to the catalog but not the statement's.
        return AddedColumn(changes, rewritten)
            ?? TypeChange(changes, rewritten)
            ?? Index(changes, locks, rewritten)
            ?? Constraint(changes)
            ?? NotNull(changes);
    }

    private static string? Index(CatalogChanges changes, IReadOnlyList<TableLock> locks, HashSet<long> rewritten) =>
        changes.NewIndexes.Where(i => !rewritten.Contains(i.Table)).Select(i => changes.NameOf(i.Table))
            .FirstOrDefault(t => locks.Any(l => l.Table == t && LockModes.BlocksWrites(l.Mode))) is { } table
            ? $"CREATE INDEX CONCURRENTLY, in a migration whose first line is {ScriptText.NoTransactionMarker}: writes to {table} go on while it builds"
            : null;

    private static string? Constraint(CatalogChanges changes) =>
        changes.ValidatedConstraints.FirstOrDefault() is { } constraint
            ? $"ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement: the check of the rows of {changes.NameOf(constraint.Table)} " +
              "then runs under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes"
            : null;

    private static string? AddedColumn(CatalogChanges changes, HashSet<long> rewritten) =>
        changes.Added.FirstOrDefault(c => rewritten.Contains(c.Table)) is { } column
            ? $"add {column.Name} without its default, backfill it in batches, then set the default and NOT NULL: no rewrite of {changes.NameOf(column.Table)}"
            : null;

    private static string? NotNull(CatalogChanges changes) =>
        changes.NotNullSet.FirstOrDefault() is { } column
            ? $"backfill {column.Name}, add CHECK ({column.Name} IS NOT NULL) NOT VALID and VALIDATE it, then SET NOT NULL: " +
              $"PostgreSQL then skips the scan of {changes.NameOf(column.Table)} under ACCESS EXCLUSIVE"
            : null;

    private static string? TypeChange(CatalogChanges changes, HashSet<long> rewritten) =>
        changes.TypeChanged.FirstOrDefault(c => rewritten.Contains(c.Table)) is { } column
            ? $"add a new column of type {column.Type}, backfill it in batches, then switch to it and drop {column.Name}: no rewrite of {changes.NameOf(column.Table)}"
            : null;
}
