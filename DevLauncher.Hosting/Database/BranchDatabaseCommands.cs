using System.Globalization;
using DevLauncher.SchemaLoop;
using Npgsql;

namespace DevLauncher.Hosting.Database;

/// <summary>
/// The branch databases on <c>appdb</c>'s menu: list them with their sizes and whether their branch is still in the
/// checkout, and delete those whose branch is gone (after a confirmation).
/// </summary>
internal static class BranchDatabaseCommands
{

    public static IResourceBuilder<IResourceWithConnectionString> WithBranchDatabaseCommands(this IResourceBuilder<IResourceWithConnectionString> appdb, AppDatabaseAnnotation database)
    {
        if (!database.HasLoop)
        {
            return appdb;
        }

        return appdb
            .WithCommand(DevLauncherCommands.ListDatabases, DevLauncherCommands.ListDatabasesDisplayName, context => ListAsync(context, database.RequiredLoop), new CommandOptions
            {
                Description = "The database of every branch on this server, its size, and whether its branch is still in the checkout.",
                IconName = "DatabaseSearch",
                UpdateState = Running,
            })
            .WithCommand(DevLauncherCommands.DeleteGoneDatabases, DevLauncherCommands.DeleteGoneDatabasesDisplayName, context => DeleteGoneAsync(context, database.RequiredLoop), new CommandOptions
            {
                Description = "Drop the databases (and Undo snapshots) of branches that are no longer in the checkout. The current branch's stays.",
                ConfirmationMessage = "Drop the database of every branch that is no longer in the checkout, with all its rows?",
                IconName = "Delete",
                UpdateState = Running,
            });
    }

    private static ResourceCommandState Running(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> ListAsync(ExecuteCommandContext context, AppDatabaseLoop loop)
    {
        var databases = await loop.ListAsync(context.CancellationToken);
        var gone = databases.Count(d => !d.BranchExists && !d.IsCurrent);
        var summary = $"{databases.Count} branch database(s){(gone > 0 ? $", {gone} of deleted branches" : "")}.";
        return CommandResults.Success(summary, string.Join(Environment.NewLine, [summary, "", .. databases.Select(Line)]));
    }

    private static async Task<ExecuteCommandResult> DeleteGoneAsync(ExecuteCommandContext context, AppDatabaseLoop loop)
    {
        try
        {
            var dropped = await loop.DeleteDatabasesOfDeletedBranchesAsync(context.CancellationToken);
            return CommandText.Success(dropped.Count == 0 ? "Every branch database's branch is still in the checkout: nothing dropped." : $"Dropped {string.Join(", ", dropped)}.");
        }
        catch (NpgsqlException ex)
        {
            return CommandResults.Failure($"Not every database could be dropped: {ex.Message}");
        }
    }

    private static string Line(BranchDatabaseInfo database)
    {
        var owner = database.Branch ?? (database.Commit is { } commit ? $"detached HEAD at {commit[..Math.Min(12, commit.Length)]}" : "no branch");
        var status = database.IsCurrent ? "current" : database.BranchExists ? "branch exists" : "branch deleted";
        return string.Create(CultureInfo.InvariantCulture, $"{database.Name}  {owner}  {database.SizeBytes / (1024.0 * 1024):0.0} MB  {status}");
    }
}
