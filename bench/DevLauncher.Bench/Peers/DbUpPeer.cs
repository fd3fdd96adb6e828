using DbUp;
using DbUp.Engine;

namespace DevLauncher.Bench.Peers;

/// <summary>DbUp (dbup-postgresql) applying the same files, one transaction per script like ours.</summary>
public static class DbUpPeer
{
    public static DatabaseUpgradeResult Run(string connectionString, string folder) =>
        DeployChanges.To.PostgresqlDatabase(connectionString)
            .WithScriptsFromFileSystem(folder)
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
}
