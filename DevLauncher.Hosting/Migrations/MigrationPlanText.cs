using DevLauncher.Migrations.Engine;

namespace DevLauncher.Hosting.Migrations;

/// <summary>A plan in words: a line for the notification, and the whole plan for the result's details.</summary>
internal sealed record MigrationPlanText(string Summary, string Details)
{
    public static MigrationPlanText Of(MigrationRunResult plan)
    {
        var at = $"Database at {plan.SchemaVersion ?? "an unknown version"}";
        var summary = plan switch
        {
            { ExitCode: not 0, Failure: { } failure } => $"{at}; the plan stops: {failure.Summary}. Apply migrations would apply nothing.",
            { PendingFiles.Count: 0 } => $"{at}; nothing pending.",
            _ => $"{at}; {plan.PendingFiles.Count} pending: {string.Join(", ", plan.PendingFiles)}. " +
                $"{DevLauncherCommands.PreviewMigrationsDisplayName} shows what they will lock, rewrite and lose on a copy of this data.",
        };
        return new MigrationPlanText(summary, Describe(plan, summary));
    }

    private static string Describe(MigrationRunResult plan, string summary)
    {
        IEnumerable<string> lines =
        [
            summary,
            "",
            .. plan.PendingFiles.Select(file => "pending: " + file),
            .. plan.Problems.Select(problem => problem.Message),
            .. plan.Problems.Count == 0 && plan.Failure is { } failure ? [failure.Reason] : Array.Empty<string>(),
        ];
        return string.Join(Environment.NewLine, lines).TrimEnd();
    }
}
