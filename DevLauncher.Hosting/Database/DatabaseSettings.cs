
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
        ParseBool(configuration, PerBranchKey, @default: true),
        configuration[CheckoutKey] is { Length: > 0 } checkout ? Path.GetFullPath(checkout, appHostDirectory) : appHostDirectory,
        ParseBool(configuration, SeedExistingServerKey, @default: false));

    private static bool ParseBool(IConfiguration configuration, string key, bool @default) => configuration[key] switch
    {
        null or "" => @default,
        var value when bool.TryParse(value, out var parsed) => parsed,
        var value => throw new DevLauncherStartException($"{key} is '{value}': write true or false."),
    };
}
