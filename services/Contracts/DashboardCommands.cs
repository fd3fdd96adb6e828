namespace DevLauncher.Contracts;

/// <summary>
/// The AppHost's dashboard commands that the worker's messages name, so that a message never points at a command
/// the dashboard calls by another name: the AppHost gives its commands these display names.
/// </summary>
public static class DashboardCommands
{
    /// <summary>Restores the database to its state before the newest applied migration.</summary>
    public const string UndoLastMigration = "Undo last migration";
}
