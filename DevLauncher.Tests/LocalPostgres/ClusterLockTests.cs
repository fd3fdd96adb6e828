using DevLauncher.LocalPostgres;

namespace DevLauncher.Tests.LocalPostgres;

/// <summary>
/// The lock is held by a process of its own (DevLauncher.Tests.LockHolder), as a second AppHost would hold it: a refusal
/// here comes from the kernel's flock between two processes, not from anything .NET does within one. Killing the holder
/// with SIGKILL gives it no chance to run code, so a lock that is free afterwards was released by the kernel.
/// </summary>
public sealed class ClusterLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Acquiring_a_lock_another_process_holds_fails_naming_that_process()
    {
        using var folder = TemporaryFolder.Create();
        await using var holder = await StartHolderAsync(folder.Path);

        var error = Assert.Throws<ClusterInUseException>(() => ClusterLock.Acquire(folder.Path));

        var dll = RepositoryPaths.ProjectDll("DevLauncher.Tests.LockHolder", "DevLauncher.Tests.LockHolder");
        Assert.Equal(
            $"Another AppHost (pid {holder.Id}: dotnet {dll} {folder.Path}) is using the PostgreSQL cluster in {folder.Path}: stop it first.",
            error.Message);
    }

    [Fact]
    public async Task A_lock_whose_holder_was_killed_can_be_acquired()
    {
        using var folder = TemporaryFolder.Create();
        await using (var holder = await StartHolderAsync(folder.Path))
        {
            holder.KillHard();
            await holder.WaitForExitAsync(Patience);
        }

        ClusterLock.Acquire(folder.Path).Dispose();

        // Read once released: while held, even this process's own FileStream is refused (flock is per open file).
        Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(Path.Combine(folder.Path, "apphost.lock")));
    }

    [Fact]
    public void A_disposed_lock_can_be_acquired_again()
    {
        using var folder = TemporaryFolder.Create();
        ClusterLock.Acquire(folder.Path).Dispose();

        using var again = ClusterLock.Acquire(folder.Path);
    }

    private static async Task<ChildProcess> StartHolderAsync(string folder)
    {
        var holder = ChildProcess.StartDotnet(
            RepositoryPaths.ProjectDll("DevLauncher.Tests.LockHolder", "DevLauncher.Tests.LockHolder"), new Dictionary<string, string?>(), folder);
        try
        {
            await holder.WaitForOutputAsync("locked", Patience);
            return holder;
        }
        catch
        {
            await holder.DisposeAsync();
            throw;
        }
    }
}
