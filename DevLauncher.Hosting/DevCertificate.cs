using System.Security.Cryptography.X509Certificates;

namespace DevLauncher.Hosting;

/// <summary>
/// The launch profile asks for https. Without an ASP.NET Core development certificate the dashboard cannot serve it
/// and the AppHost would crash at once, so on such a machine the AppHost falls back to the http profile's addresses
/// and says so in one line.
/// </summary>
internal static class DevCertificate
{
    // The extension ASP.NET Core puts on the certificates `dotnet dev-certs https` makes.
    private const string AspNetHttpsOid = "1.3.6.1.4.1.311.84.1.1";

    private static readonly (string Key, string HttpValue)[] HttpAddresses =
    [
        ("ASPNETCORE_URLS", "http://localhost:15100"),
        ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://localhost:19100"),
        ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "http://localhost:20100"),
        ("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true"),
    ];

    public const string HttpNotice =
        "No ASP.NET Core development certificate: the dashboard runs on http. For https, run `dotnet dev-certs https --trust`.";

    /// <summary>The arguments, plus http addresses when the environment asks for https and this user has no certificate.</summary>
    public static string[] HttpWhenMissing(string[] args, Func<string, string?> environment, TimeProvider timeProvider) =>
        HttpWhenMissing(args, environment, () => Exists(timeProvider), Console.Error);

    public static string[] HttpWhenMissing(string[] args, Func<string, string?> environment, Func<bool> certificateExists, TextWriter notices)
    {
        var urls = environment("ASPNETCORE_URLS") ?? "";
        if (!urls.Contains("https://", StringComparison.OrdinalIgnoreCase) || certificateExists())
        {
            return args;
        }

        notices.WriteLine(HttpNotice);
        return [.. args, .. HttpAddresses.Select(a => $"--{a.Key}={a.HttpValue}")];
    }

    public static bool Exists(TimeProvider timeProvider)
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // no personal certificate store at all
        }

        var now = timeProvider.GetLocalNow().DateTime;
        return store.Certificates.Any(c =>
            c.Extensions.Any(e => e.Oid?.Value == AspNetHttpsOid) && c.HasPrivateKey && c.NotBefore <= now && now <= c.NotAfter);
    }
}
