using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Migrations;

/// <summary>A plan-only run's report in words: a line for the notification, and the whole plan for the result's details.</summary>
public sealed record MigrationPlanText(string Summary, string Details)
{
    public static MigrationPlanText Of(MigrationReport report)
    {
        var at = $"Database at {report.SchemaVersion ?? "an unknown version"}";
        var summary = report switch
        {
            { Succeeded: false, Failure: { } failure } => $"{at}; the plan stops: {failure.Summary}. Apply migrations would apply nothing.",
            { Pending.Count: 0 } => $"{at}; nothing pending.",
            _ => $"{at}; {report.Pending.Count} pending: {string.Join(", ", report.Pending)}.",
        };
        return new MigrationPlanText(summary, Describe(report, summary));
    }

    private static string Describe(MigrationReport report, string summary)
    {
        IEnumerable<string> lines =
        [
            summary,
            "",
            .. report.Pending.Select(file => "pending: " + file),
            .. report.Problems.Select(problem => problem.Message),
            .. report.Problems.Count == 0 && report.Failure is { } failure ? [failure.Reason] : Array.Empty<string>(),
        ];
        return string.Join(Environment.NewLine, lines).TrimEnd();
    }
}
