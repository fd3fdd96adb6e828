using System.Diagnostics;
using DevLauncher.LocalPostgres;

namespace DevLauncher.Tests.LocalPostgres;

/// <summary>
/// Where the cluster lives when the AppHost runs as root and the server as the postgres user. Each test makes its
/// preferred folder under a folder of its own and removes every folder it made, the fallback in ~postgres included.
/// </summary>
public sealed class ClusterLocationTests
{
    private const string RootOnly = "Runs as root only: the server runs as the postgres user only when we are root.";
    private const UnixFileMode EveryoneEnters = TemporaryFolder.OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    [Fact]
    public async Task A_folder_the_postgres_user_can_enter_is_used_as_it_is()
    {
        using var parent = TemporaryFolder.Create(EveryoneEnters);
        var preferred = Path.Combine(parent.Path, "postgres");

        var location = await ResolveAsync(preferred, chosenExplicitly: false);

        Assert.Equal(preferred, location.Directory);
        Assert.Null(location.Notice);
    }

    [Fact]
    public async Task A_folder_under_a_0700_parent_moves_to_a_folder_the_postgres_user_owns()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, RootOnly);
        using var moved = await MovedCluster.ResolveAsync();
        var directory = moved.Location.Directory;

        Assert.StartsWith(ServiceUserHome() + "/devlauncher/", directory, StringComparison.Ordinal);
        Assert.Equal("postgres", await OwnerAsync(directory));
        Assert.Equal($"PostgreSQL's data is in {directory}: the postgres user cannot enter {moved.Parent.Path} (mode 0700, owner root)",
            moved.Location.Notice);
        await using var server = await StartAsync(directory);
        Assert.True(server.Initialized);
    }

    [Fact]
    public async Task A_moved_cluster_is_found_again_with_its_data_by_the_next_resolution()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, RootOnly);
        using var moved = await MovedCluster.ResolveAsync();
        string password;
        await using (var server = await StartAsync(moved.Location.Directory))
        {
            await Sql.ExecuteAsync(server.GetConnectionString(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
            password = server.SuperUserPassword;
        }

        var again = await ResolveAsync(moved.Preferred, chosenExplicitly: false);

        Assert.Equal(moved.Location.Directory, again.Directory);
        await using var restarted = await StartAsync(again.Directory);
        Assert.False(restarted.Initialized);
        Assert.Equal(password, restarted.SuperUserPassword);
        Assert.Equal("still here", await Sql.ScalarAsync<string>(restarted.GetConnectionString(), "SELECT v FROM kept"));
    }

    [Fact]
    public async Task An_explicit_folder_under_a_0700_parent_is_refused_with_one_line_naming_the_parent()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, RootOnly);
        using var parent = TemporaryFolder.Create();
        var preferred = Path.Combine(parent.Path, "postgres");

        var error = await Assert.ThrowsAsync<ClusterLocationException>(() => ResolveAsync(preferred, chosenExplicitly: true));

        Assert.Equal(
            $"PostgreSQL cannot keep its data in {preferred}: the postgres user, which runs it, cannot enter {parent.Path} " +
            $"(mode 0700, owner root); let it in (e.g. chmod o+x {parent.Path}) or use another folder.", error.Message);
    }

    private static Task<ClusterLocation> ResolveAsync(string preferred, bool chosenExplicitly) =>
        ClusterLocation.ResolveAsync(preferred, chosenExplicitly, TestContext.Current.CancellationToken);

    private static Task<LocalPostgresServer> StartAsync(string directory) =>
        LocalPostgresServer.StartAsync(new LocalPostgresServerOptions
        {
            Directory = directory,
            ServerSettings = LocalPostgresServerOptions.ThrowAwaySettings,
        }, cancellationToken: TestContext.Current.CancellationToken);

    private static string ServiceUserHome() =>
        File.ReadLines("/etc/passwd").Select(l => l.Split(':')).Single(f => f[0] == "postgres")[5];

    private static async Task<string> OwnerAsync(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true })!;
        var owner = await stat.StandardOutput.ReadToEndAsync();
        await stat.WaitForExitAsync();
        return owner.Trim();
    }

    /// <summary>
    /// A preferred folder under a parent of mode 0700 (as <c>mktemp -d</c> makes it), resolved without being chosen
    /// explicitly. Disposing removes the parent and the fallback, and ~postgres/devlauncher once nothing else is in it.
    /// </summary>
    private sealed class MovedCluster(TemporaryFolder parent, string preferred, ClusterLocation location) : IDisposable
    {
        public TemporaryFolder Parent { get; } = parent;

        public string Preferred { get; } = preferred;

        public ClusterLocation Location { get; } = location;

        public static async Task<MovedCluster> ResolveAsync()
        {
            var parent = TemporaryFolder.Create();
            try
            {
                var preferred = Path.Combine(parent.Path, "postgres");
                return new MovedCluster(parent, preferred, await ClusterLocationTests.ResolveAsync(preferred, chosenExplicitly: false));
            }
            catch
            {
                parent.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Parent.Dispose();
            if (Directory.Exists(Location.Directory))
            {
                Directory.Delete(Location.Directory, recursive: true);
            }

            var fallbacks = Path.GetDirectoryName(Location.Directory)!;
            if (Directory.Exists(fallbacks) && !Directory.EnumerateFileSystemEntries(fallbacks).Any())
            {
                Directory.Delete(fallbacks);
            }
        }
    }
}
