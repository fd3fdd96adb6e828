
namespace DevLauncher.Hosting.Database;

/// <summary>
/// The schema loop's settings: a database per git branch (on by default where the AppHost runs the server), which
/// checkout names the branch, and whether seeds may run on an existing server.
/// </summary>
/// <param name="Checkout">A folder in the git checkout whose HEAD names the database: the AppHost's own by default.</param>
internal sealed record DatabaseSettings(bool PerBranch, string Checkout, bool SeedExistingServer)
{
    public const string PerBranchKey = "DevLauncher:Database:PerBranch";
    public const string CheckoutKey = "DevLauncher:Database:Checkout";
    public const string SeedExistingServerKey = "DevLauncher:Database:SeedExistingServer";

    public static DatabaseSettings Resolve(IConfiguration configuration, string appHostDirectory) => new(
        SettingValues.Bool(configuration, PerBranchKey, @default: true),
        configuration[CheckoutKey] is { Length: > 0 } checkout ? Path.GetFullPath(checkout, appHostDirectory) : appHostDirectory,
        SettingValues.Bool(configuration, SeedExistingServerKey, @default: false));
}
