using DevLauncher.Hosting.Database;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// A git checkout as the schema loop reads one, written by hand in a folder of the test's own: <c>.git/HEAD</c> and a
/// loose ref per branch. Handed to the AppHost as <c>DevLauncher:Database:Checkout</c>; switching branches is writing
/// HEAD, as <c>git switch</c> does.
/// </summary>
public sealed class GitCheckoutFolder : IDisposable
{
    /// <summary>A commit id as git writes one: 40 hex digits.</summary>
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private GitCheckoutFolder(string path) => Path = path;

    public string Path { get; }

    public string Argument => $"--{DatabaseSettings.CheckoutKey}={Path}";

    private string GitDirectory => System.IO.Path.Combine(Path, ".git");

    public static GitCheckoutFolder OnBranch(string branch) => Repository().SwitchTo(branch);

    /// <summary>HEAD names a commit, as after <c>git checkout &lt;commit&gt;</c>.</summary>
    public static GitCheckoutFolder Detached()
    {
        var checkout = Repository();
        File.WriteAllText(System.IO.Path.Combine(checkout.GitDirectory, "HEAD"), Commit + "\n");
        return checkout;
    }

    /// <summary>A folder in no git checkout at all (nothing above the temporary folder is one).</summary>
    public static GitCheckoutFolder NotARepository()
    {
        var checkout = new GitCheckoutFolder(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devlauncher-checkout-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(checkout.Path);
        return checkout;
    }

    /// <summary>HEAD on <paramref name="branch"/>, which exists as a loose ref.</summary>
    public GitCheckoutFolder SwitchTo(string branch)
    {
        var reference = System.IO.Path.Combine(GitDirectory, "refs", "heads", branch);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(reference)!);
        File.WriteAllText(reference, Commit + "\n");
        File.WriteAllText(System.IO.Path.Combine(GitDirectory, "HEAD"), $"ref: refs/heads/{branch}\n");
        return this;
    }

    /// <summary>The branch's ref deleted, as <c>git branch -D</c> does; HEAD must be elsewhere.</summary>
    public void DeleteBranch(string branch) => File.Delete(System.IO.Path.Combine(GitDirectory, "refs", "heads", branch));

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static GitCheckoutFolder Repository()
    {
        var checkout = NotARepository();
        Directory.CreateDirectory(System.IO.Path.Combine(checkout.GitDirectory, "refs", "heads"));
        return checkout;
    }
}
