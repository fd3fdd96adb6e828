using DevLauncher.Contracts;

namespace DevLauncher.Migrations.Engine;

/// <summary>What a run would do, from the files and the history read under the lock.</summary>
/// <param name="Pending">The files to apply, in version order.</param>
/// <param name="Problems">Why nothing may be applied; empty when the plan can run.</param>
/// <param name="CurrentVersion">The highest applied version, formatted ("none" for an empty history).</param>
internal sealed record MigrationPlan(IReadOnlyList<MigrationScript> Pending, IReadOnlyList<MigrationProblem> Problems, string CurrentVersion)
{
    public static MigrationPlan Create(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<AppliedMigration> applied)
    {
        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        return new MigrationPlan(
            scripts.Where(s => !appliedVersions.Contains(s.Version)).ToList(),
            MigrationHistory.Validate(scripts, applied),
            SchemaVersion.Format(applied.Count == 0 ? null : applied.Max(a => a.Version)));
    }

    public IReadOnlyList<string> PendingFiles => [.. Pending.Select(p => p.FileName)];

    /// <summary>The state after <paramref name="done"/>, the first files of <see cref="Pending"/>, were applied.</summary>
    public MigrationRunResult Progress(MigrationRunResult result, IReadOnlyList<MigrationScript> done) => result with
    {
        AppliedVersions = [.. done.Select(d => d.Version)],
        AppliedFiles = [.. done.Select(d => d.FileName)],
        PendingFiles = [.. Pending.Skip(done.Count).Select(p => p.FileName)],
        SchemaVersion = done.Count > 0 ? done[^1].VersionLabel : CurrentVersion,
    };
}
