namespace DevLauncher.Bench.Infrastructure;

/// <summary>
/// A folder the AppHost takes for a git checkout (<c>--DevLauncher:Database:Checkout</c>): only <c>.git/HEAD</c>, which
/// names the branch whose database the AppHost starts on. Without it the bench's own worktree would choose.
/// </summary>
public sealed class ScratchCheckout
{
    private ScratchCheckout(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>The AppHost's argument that points it here.</summary>
    public string Setting => $"--DevLauncher:Database:Checkout={Folder}";

    /// <param name="scratch">The run's scratch folder, deleted when the run ends.</param>
    public static ScratchCheckout Create(string scratch, string branch)
    {
        var gitDirectory = Directory.CreateDirectory(Path.Combine(scratch, $"checkout-{Guid.NewGuid():N}", ".git"));
        var checkout = new ScratchCheckout(gitDirectory.Parent!.FullName);
        checkout.Switch(branch);
        return checkout;
    }

    /// <summary>As <c>git switch</c> leaves HEAD; the AppHost reads it when it starts.</summary>
    public void Switch(string branch) => File.WriteAllText(Path.Combine(Folder, ".git", "HEAD"), $"ref: refs/heads/{branch}\n");
}
