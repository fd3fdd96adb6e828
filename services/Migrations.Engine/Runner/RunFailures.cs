using DevLauncher.Contracts;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// A failed run as the report states it: a summary short enough for a status line, and the worker's reason on one line.
/// The wording of the reason is the log's, so the dashboard and the console say the same thing.
/// </summary>
internal static class RunFailures
{
    public static MigrationFailure Migration(MigrationScript script, PostgresException exception, int? line, string reason) =>
        Located(script.FileName, script.FileName, exception, line, reason);

    public static MigrationFailure Seed(SeedScript seed, PostgresException exception, int? line, string reason) =>
        Located($"seed {seed.FileName}", seed.FileName, exception, line, reason);

    public static MigrationFailure InvalidSeed(SeedScript seed, string reason) =>
        new($"seed {seed.FileName} cannot run", OneLine(reason)) { File = seed.FileName };

    public static MigrationFailure Lock(LockHolder? holder, string reason) =>
        new(holder is null ? "migration lock timeout" : $"lock held by pid {holder.Pid} ({Application(holder)})", OneLine(reason))
        {
            LockHolderPid = holder?.Pid,
        };

    /// <summary>Summarised by the first problem, the count of the others after it.</summary>
    public static MigrationFailure Validation(IReadOnlyList<MigrationProblem> problems)
    {
        var first = problems[0];
        var summary = first.Kind switch
        {
            MigrationProblemKind.Drift => $"drift in {first.Subject}",
            MigrationProblemKind.Unknown => $"unknown version {first.Subject}",
            MigrationProblemKind.OutOfOrder => $"{first.Subject} out of order",
            _ => $"{first.Subject} cannot run",
        };
        var more = problems.Count > 1 ? $" (+{problems.Count - 1} more)" : "";
        return new(summary + more, OneLine("Nothing was applied. " + string.Join(" ", problems.Select(p => p.Message)))) { File = first.Subject };
    }

    public static MigrationFailure InvalidFiles(MigrationValidationException exception) =>
        new($"{exception.FileName} cannot be read", OneLine(exception.Message)) { File = exception.FileName };

    public static MigrationFailure Connection(string reason) => new("cannot connect to the database", OneLine(reason));

    public static MigrationFailure Configuration(string reason) => new("configuration error", OneLine(reason));

    public static MigrationFailure Unexpected(string reason) => new("stopped before the end", OneLine(reason));

    /// <param name="subject">What the summary names first: the file, or the seed.</param>
    private static MigrationFailure Located(string subject, string file, PostgresException exception, int? line, string reason) =>
        new($"{subject}, {exception.SqlState}{(line is { } l ? $", line {l}" : "")}", OneLine(reason))
        {
            File = file,
            SqlState = exception.SqlState,
            Line = line,
        };

    private static string Application(LockHolder holder) => holder.ApplicationName.Length > 0 ? holder.ApplicationName : holder.User;

    private static string OneLine(string text) => string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
