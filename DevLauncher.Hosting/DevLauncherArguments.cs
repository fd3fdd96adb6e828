using DevLauncher.Hosting;

namespace Aspire.Hosting;

/// <summary>The AppHost's command-line arguments, adjusted for the machine before the builder is made.</summary>
public static class DevLauncherArguments
{
    /// <summary>
    /// The arguments, plus the http profile's addresses when the launch profile asks for https and this user has no
    /// ASP.NET Core development certificate: the dashboard could not serve https and the AppHost would crash at once.
    /// The fallback is said in one line on standard error.
    /// </summary>
    /// <param name="args">The AppHost's arguments.</param>
    /// <returns>The arguments to create the builder with.</returns>
    public static string[] HttpWhenNoDevCertificate(string[] args) =>
        DevCertificate.HttpWhenMissing(args, Environment.GetEnvironmentVariable, TimeProvider.System);
}
