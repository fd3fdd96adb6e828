using DevLauncher.Contracts;

namespace DevLauncher.Migrations.Engine;

/// <summary>One pending migration as the preview ran it on the copy: its statements, or its failure, or not run after one.</summary>
internal sealed record PreviewedMigration(MigrationScript Script, IReadOnlyList<StatementPreview> Statements, MigrationFailure? Failure, bool Ran)
{
    public static PreviewedMigration NotRun(MigrationScript script) => new(script, [], null, Ran: false);

    /// <summary>The statements with each lock's hold: from its statement to the end of that statement's transaction.</summary>
    public static PreviewedMigration Of(MigrationScript script, IReadOnlyList<StatementPreview> statements, MigrationFailure? failure)
    {
        var held = statements.Select((s, i) => statements.Skip(i).Where(n => n.Transaction == s.Transaction).Aggregate(TimeSpan.Zero, (sum, n) => sum + n.Elapsed));
        return new(script, [.. statements.Zip(held, (s, h) => s with { Locks = [.. s.Locks.Select(l => l with { Held = h })] })], failure, Ran: true);
    }

    /// <summary>The statements' own time, without the preview's look at the catalog between them.</summary>
    public TimeSpan Elapsed => Statements.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Elapsed);

    public bool DataLoss => Dropped.Any(d => d.LosesData);

    public IEnumerable<DroppedData> Dropped => Statements.SelectMany(s => s.Dropped);

    public IEnumerable<TableRewrite> Rewrites => Statements.SelectMany(s => s.Rewrites);

    public string? SaferForm => Statements.FirstOrDefault(s => s.SaferForm is not null) is { } statement ? $"line {statement.Line}: {statement.SaferForm}" : null;

    /// <summary>The locks that keep the application from reading or writing: the strongest on each table, held the longest.</summary>
    public IReadOnlyList<TableLock> BlockingLocks =>
    [
        .. Statements.SelectMany(s => s.Locks).Where(l => LockModes.BlocksWrites(l.Mode)).GroupBy(l => l.Table)
            .Select(g => g.OrderByDescending(l => LockModes.Strength(l.Mode)).First() with { Held = g.Max(l => l.Held) }),
    ];

    /// <summary>One line: what the migration would do to the application and its data, or why it fails.</summary>
    public string Summary(string? failedBefore)
    {
        if (!Ran)
        {
            return $"{Script.FileName}: not run, {failedBefore ?? "an earlier migration"} failed first";
        }

        if (Failure is not null)
        {
            return $"{Script.FileName}: FAILS on this data: {Failure.Reason}";
        }

        var parts = new List<string> { $"{Script.FileName}: {PreviewText.Ms(Elapsed)}" };
        parts.AddRange(Dropped.Where(d => d.LosesData).Select(d => "DATA LOSS: " + d.Describe()));
        parts.AddRange(Rewrites.Select(r => r.Describe()));
        parts.AddRange(BlockingLocks.Select(l => l.Describe()));
        parts.Add(BlockingLocks.Count == 0 ? "blocks neither reads nor writes" : "");
        parts.Add(SaferForm is { } safer ? $"safer: {safer}" : "");
        return string.Join("; ", parts.Where(p => p.Length > 0));
    }

    /// <summary>The details, each a property whose name starts with <paramref name="prefix"/>; only those with something to say.</summary>
    public IEnumerable<KeyValuePair<string, string>> Properties(string prefix, string? failedBefore)
    {
        var details = new (string Key, string? Value)[]
        {
            ("summary", Summary(failedBefore)),
            ("time", Ran && Failure is null ? PreviewText.Ms(Elapsed) : null),
            ("locks", Join(Statements.Where(s => s.Locks.Count > 0).Select(s => $"line {s.Line}: {string.Join(", ", s.Locks.Select(l => l.Describe()))}"))),
            ("rewrites", Join(Statements.Where(s => s.Rewrites.Count > 0).Select(s => $"line {s.Line}: {string.Join(", ", s.Rewrites.Select(r => r.Describe()))}"))),
            ("drops", Join(Statements.Where(s => s.Dropped.Count > 0).Select(s => $"line {s.Line}: {string.Join(", ", s.Dropped.Select(d => d.Describe()))}"))),
            ("safer", SaferForm),
            ("failure", Failure?.Reason),
            ("statements", Join(Statements.Select(s => s.Describe()))),
        };
        return details.Where(d => d.Value is not null).Select(d => KeyValuePair.Create($"{prefix}.{Script.VersionLabel}.{d.Key}", d.Value!));
    }

    private static string? Join(IEnumerable<string> lines) => lines.ToList() is { Count: > 0 } list ? string.Join(" | ", list) : null;
}
