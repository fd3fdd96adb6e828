using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Local mode as root from a folder the postgres user cannot enter (a <c>mktemp -d</c>, /root): PostgreSQL runs as
/// postgres, which must enter every folder above its cluster.
/// <para>
/// How each case is reached. The default data folder hangs off the checkout (LocalCluster asks ClusterLocation where
/// <c>&lt;checkout&gt;/.devlauncher/postgres</c> may live), and a built AppHost knows its checkout from its assembly: a
/// process cannot be pointed at another checkout short of copying the build. So the refusal of an explicit folder, which
/// needs no checkout, runs through the process as a developer's terminal does (exit code, the one line on standard
/// error, nothing started); the fallback runs the real AppHost in this process with Aspire's own project-folder
/// option set to a checkout under a 0700 folder (<see cref="RelocatedAppHost"/>), so PostgresSettings derives the
/// default folder exactly as it does for a real checkout, ClusterLocation finds it blocked, and DCP then runs the real
/// server in the fallback folder, with the services healthy on it.
/// </para>
/// </summary>
[Collection(OneAppAtATime.Name)]
public sealed class ClosedParentDataFolderTests
{
    private const string PostgresHome = "/var/lib/postgresql";
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task An_explicit_data_folder_postgres_cannot_enter_stops_the_AppHost_with_exit_2_and_one_line_naming_the_key()
    {
        SkipUnlessRoot();
        var cancellationToken = TestContext.Current.CancellationToken;
        using var parent = TemporaryFolder.Create(prefix: "devlauncher-closed");
        var dataDirectory = Path.Combine(parent.Path, "cluster");
        await using var apphost = AppHostProcess.Start(new Dictionary<string, string>(), AppHostArguments.LocalOnRandomPorts(dataDirectory));

        Assert.True(await apphost.WaitForExitAsync(RefusalTimeout, cancellationToken), apphost.Output);
        Assert.Equal(2, apphost.ExitCode);
        var line = Assert.Single(apphost.OutputLines);
        Assert.Contains(PostgresSettings.DataDirectoryKey, line, StringComparison.Ordinal);
        Assert.Contains($"cannot enter {parent.Path} (mode 0700, owner root)", line, StringComparison.Ordinal);
        Assert.Empty(await MarkedProcesses.WaitForNoneAsync(apphost.ProcessesWithMarker, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_checkout_under_a_closed_folder_runs_postgres_from_a_folder_of_the_postgres_user_after_a_one_line_notice()
    {
        SkipUnlessRoot();
        var cancellationToken = TestContext.Current.CancellationToken;
        using var parent = TemporaryFolder.Create(prefix: "devlauncher-closed-checkout");
        var checkout = Path.Combine(parent.Path, "checkout");
        var fallbackParentExisted = Directory.Exists(Path.Combine(PostgresHome, "devlauncher"));
        string? fallback = null;
        try
        {
            await using var host = await RelocatedAppHost.CreateAsync(Path.Combine(checkout, "DevLauncher.AppHost"), cancellationToken);
            var terminal = TerminalCapture.Replace(host.Builder);
            var app = await host.StartAsync(cancellationToken);
            await AppResources.WaitForServicesHealthyAsync(app, cancellationToken);

            var notice = Assert.Single(terminal.Lines);
            fallback = FallbackFolderIn(notice);
            Assert.Equal($"PostgreSQL's data is in {fallback}: the postgres user cannot enter {parent.Path} (mode 0700, owner root)", notice);
            Assert.StartsWith(Path.Combine(PostgresHome, "devlauncher", "checkout-postgres-"), fallback, StringComparison.Ordinal);
            // The server that runs is the fallback's cluster's, and nothing was made under the closed folder.
            Assert.Contains($"-D {new ClusterFiles(fallback).DataDirectory}", ServerCommandLine(new ClusterFiles(fallback)), StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(checkout, ".devlauncher")), "the default data folder was created under the closed folder");
        }
        finally
        {
            DeleteFallback(fallback, fallbackParentExisted);
        }
    }

    private static void SkipUnlessRoot()
    {
        if (Environment.UserName != "root")
        {
            Assert.Skip("The postgres user's access is what is tested: PostgreSQL runs as postgres only when the AppHost runs as root.");
        }
    }

    /// <summary>"PostgreSQL's data is in /var/lib/postgresql/devlauncher/x: the postgres user ..." gives the folder.</summary>
    private static string FallbackFolderIn(string notice)
    {
        const string Prefix = "PostgreSQL's data is in ";
        Assert.StartsWith(Prefix, notice, StringComparison.Ordinal);
        return notice[Prefix.Length..notice.IndexOf(": ", StringComparison.Ordinal)];
    }

    /// <summary>The command line of the server that <c>postmaster.pid</c> names, as the machine runs it.</summary>
    private static string ServerCommandLine(ClusterFiles cluster)
    {
        var pid = cluster.ServerPid ?? throw new InvalidOperationException($"No server runs on {cluster.DataDirectory}.");
        return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
    }

    private static void DeleteFallback(string? fallback, bool parentExisted)
    {
        if (fallback is not null && Directory.Exists(fallback))
        {
            Directory.Delete(fallback, recursive: true);
        }

        var parent = Path.Combine(PostgresHome, "devlauncher");
        if (!parentExisted && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            try
            {
                Directory.Delete(parent);
            }
            catch (IOException)
            {
                // another test's cluster moved there meanwhile: the folder is not only ours any more
            }
        }
    }
}
