using System.Text.Json;
using DevLauncher.Hosting.Postgres;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>Command-line settings for the AppHost run as a process (<see cref="AppHostProcess"/>): local PostgreSQL in a folder of the test's.</summary>
public static class AppHostArguments
{
    /// <summary>Random ports for everything, as a test host or `aspire start --isolated` runs it, so it runs beside anything.</summary>
    public static string[] LocalOnRandomPorts(string dataDirectory) => [.. Local(dataDirectory), .. RandomPorts];

    /// <summary>
    /// http on random ports for the dashboard and the services. The dashboard's resource service is built before
    /// anything starts, and without these it asks for https and a development certificate, which CI has not.
    /// </summary>
    public static readonly string[] RandomPorts =
    [
        "--ASPNETCORE_URLS=http://localhost:0",
        "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:0",
        "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:0",
        "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        "--DcpPublisher:RandomizePorts=true",
    ];

    /// <summary>
    /// The fixed addresses of the launch profile <c>http</c> (the dashboard's, and each service's launch port), as
    /// <c>dotnet run</c> with that profile passes them: read from the AppHost's launchSettings.json.
    /// </summary>
    public static string[] LocalOnHttpProfile(string dataDirectory)
    {
        var settings = Path.Combine(Projects.DevLauncher_AppHost.ProjectPath, "Properties", "launchSettings.json");
        var http = JsonDocument.Parse(File.ReadAllText(settings)).RootElement.GetProperty("profiles").GetProperty("http");
        var environment = http.GetProperty("environmentVariables").EnumerateObject()
            .Where(v => v.Name.StartsWith("ASPIRE_", StringComparison.Ordinal))
            .Select(v => $"--{v.Name}={v.Value.GetString()}");
        return [.. Local(dataDirectory), $"--ASPNETCORE_URLS={http.GetProperty("applicationUrl").GetString()}", .. environment];
    }

    private static string[] Local(string dataDirectory) =>
    [
        "--ConnectionStrings:appdb=",
        $"--{PostgresSettings.ModeKey}=local",
        $"--{PostgresSettings.DataDirectoryKey}={dataDirectory}",
        $"--Parameters:service-password={TestAppHost.ServicePassword}",
    ];
}
