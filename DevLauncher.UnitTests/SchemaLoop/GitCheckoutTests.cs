using DevLauncher.SchemaLoop;

namespace DevLauncher.UnitTests.SchemaLoop;

/// <summary>HEAD and the local branches, read from a checkout's files as git writes them.</summary>
public sealed class GitCheckoutTests : IDisposable
{
    private readonly string _checkout = Directory.CreateTempSubdirectory("devlauncher-git-").FullName;

    [Fact]
    public void HEAD_on_a_branch_names_the_branch() =>
        Assert.Equal(new GitHead("feature/login", null), Head("ref: refs/heads/feature/login\n"));

    [Fact]
    public void A_detached_HEAD_names_its_commit() =>
        Assert.Equal(new GitHead(null, "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"), Head("1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d\n"));

    [Fact]
    public void A_folder_outside_any_checkout_has_no_HEAD() => Assert.Null(GitCheckout.ReadHead(_checkout));

    [Fact]
    public void A_subfolder_of_the_checkout_reads_the_checkouts_HEAD()
    {
        WriteGit("HEAD", "ref: refs/heads/main\n");
        var subfolder = Directory.CreateDirectory(Path.Combine(_checkout, "DevLauncher.AppHost")).FullName;

        Assert.Equal(new GitHead("main", null), GitCheckout.ReadHead(subfolder));
    }

    [Fact]
    public void A_worktree_reads_the_HEAD_its_git_file_points_at()
    {
        var worktreeGit = Directory.CreateDirectory(Path.Combine(_checkout, "repo", ".git", "worktrees", "wt")).FullName;
        File.WriteAllText(Path.Combine(worktreeGit, "HEAD"), "ref: refs/heads/side\n");
        var worktree = Directory.CreateDirectory(Path.Combine(_checkout, "wt")).FullName;
        File.WriteAllText(Path.Combine(worktree, ".git"), $"gitdir: {worktreeGit}\n");

        Assert.Equal(new GitHead("side", null), GitCheckout.ReadHead(worktree));
    }

    [Fact]
    public void Local_branches_are_read_from_loose_refs_as_well_as_packed_refs()
    {
        WriteGit("HEAD", "ref: refs/heads/main\n");
        WriteGit(Path.Combine("refs", "heads", "main"), "aa\n");
        WriteGit(Path.Combine("refs", "heads", "feature", "x"), "bb\n");
        WriteGit("packed-refs", "# pack-refs with: peeled fully-peeled sorted\ncc refs/heads/old\ndd refs/tags/v1\n");

        Assert.Equal(["feature/x", "main", "old"], GitCheckout.LocalBranches(_checkout).Order(StringComparer.Ordinal));
    }

    public void Dispose() => Directory.Delete(_checkout, recursive: true);

    private GitHead? Head(string head)
    {
        WriteGit("HEAD", head);
        return GitCheckout.ReadHead(_checkout);
    }

    private void WriteGit(string relativePath, string content)
    {
        var path = Path.Combine(_checkout, ".git", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
