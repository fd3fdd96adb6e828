namespace DevLauncher.Migrations.Engine;

/// <summary>A table lock a statement took, in the strongest mode it took on that table.</summary>
/// <param name="Held">How long the application would wait on it: until the end of the statement's transaction.</param>
internal sealed record TableLock(string Table, string Mode, TimeSpan Held = default)
{
    public string Describe() => $"{LockModes.Name(Mode)} on {Table} for {PreviewText.Ms(Held)} ({LockModes.Blocks(Mode, Table)})";
}

/// <param name="Rows">Its rows after the statement, all of which PostgreSQL wrote again.</param>
internal sealed record TableRewrite(string Table, long Rows)
{
    public string Describe() => $"rewrote {Table} ({PreviewText.Count(Rows, "row")})";
}

/// <summary>A dropped table (<see cref="Column"/> null; <see cref="Values"/> counts its rows) or column (its non-null values).</summary>
/// <param name="Values">Null when it could not be counted: the statement ran outside a transaction, so it cannot be taken back to count.</param>
internal sealed record DroppedData(string Table, string? Column, long? Values)
{
    public bool LosesData => Values is not 0;

    public string Describe() => Column is null
        ? $"dropped {Table} ({(Values is { } rows ? PreviewText.Count(rows, "row") : "rows not counted")})"
        : $"dropped {Table}.{Column} ({(Values is { } values ? PreviewText.Count(values, "non-null value") : "values not counted")})";
}

/// <summary>What one statement did on the copy, from PostgreSQL's catalog and <c>pg_locks</c>.</summary>
/// <param name="Line">The line of the file it starts on.</param>
/// <param name="Transaction">
/// Which transaction of the file it ran in: its locks last until that transaction ends. A transactional file is one;
/// in a no-transaction file, each statement, or each of the file's own BEGIN ... COMMIT blocks.
/// </param>
internal sealed record StatementPreview(int Line, string Text, TimeSpan Elapsed, int Transaction)
{
    public IReadOnlyList<TableLock> Locks { get; init; } = [];

    /// <summary>False for a statement that ran outside a transaction and never waited, so its locks could not be seen.</summary>
    public bool LocksObserved { get; init; } = true;

    public IReadOnlyList<TableRewrite> Rewrites { get; init; } = [];

    public IReadOnlyList<DroppedData> Dropped { get; init; } = [];

    public string? SaferForm { get; init; }

    public string Describe()
    {
        var parts = new List<string> { $"line {Line}: {Text}, {PreviewText.Ms(Elapsed)}" };
        parts.AddRange(LocksObserved ? Locks.Select(l => l.Describe()) : ["locks not observed (it ran outside a transaction and never waited)"]);
        parts.AddRange(Rewrites.Select(r => r.Describe()));
        parts.AddRange(Dropped.Select(d => d.Describe()));
        return string.Join("; ", parts);
    }
}
