using DevLauncher.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;


namespace DevLauncher.Hosting.Postgres;

/// <summary>
/// The local server's cluster as this AppHost holds it: where it lives (chosen at start, since the server's user must
/// be able to reach it), and this AppHost's hold on it, so a second AppHost on the same cluster stops at once instead
/// of stopping the first one's server.
/// </summary>
internal sealed class LocalCluster(PostgresSettings settings) : IDisposable
{
    private PostgresCluster? _cluster;
    private ClusterLock? _hold;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The local server's cluster is chosen when the app starts.");

    /// <summary>At the app's start, before anything runs.</summary>
    /// <returns>A line for the terminal when the data is not where it was configured; else null.</returns>
    public async Task<string?> OpenAsync(CancellationToken cancellationToken)
    {
        var location = await LocateAsync(cancellationToken);
        _hold = Hold(location.Directory);
        var cluster = new PostgresCluster(location.Directory, settings.BinDirectory);
        if (settings.DeleteData)
        {
            await DeleteAsync(cluster, cancellationToken);
        }

        _cluster = cluster;
        return location.Notice;
    }

    public void Dispose() => _hold?.Dispose();

    private async Task<ClusterLocation> LocateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ClusterLocation.ResolveAsync(settings.DataDirectory, settings.DataDirectoryIsExplicit, cancellationToken);
        }
        catch (ClusterLocationException ex)
        {
            throw new DevLauncherStartException($"{ex.Message} Set {PostgresSettings.DataDirectoryKey} to a folder the postgres user can enter.");
        }
    }

    private static ClusterLock Hold(string directory)
    {
        try
        {
            return ClusterLock.Acquire(directory);
        }
        catch (ClusterInUseException ex)
        {
            throw new DevLauncherStartException(ex.Message);
        }
    }

    /// <summary>A server a killed run left on the folder would go on running on deleted files: it is stopped first.</summary>
    private static async Task DeleteAsync(PostgresCluster cluster, CancellationToken cancellationToken)
    {
        await cluster.StopLeftoverServerAsync(NullLogger.Instance, cancellationToken);
        cluster.Delete();
    }
}
