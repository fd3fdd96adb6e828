using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// A service's <c>/health</c> as the dashboard's health check, with the reason the service gives. Aspire's HTTP health
/// check only looks at the status code, so a service waiting for its schema would show a bare "Unhealthy"; this one
/// reads the body (the services' health document) and reports the failing checks' own words, e.g. the schema gate's
/// <c>needs schema 0006, database has 0003</c>.
/// </summary>
public static class SchemaGateHealthCheckExtensions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The service's <c>/health</c> on its <c>http</c> endpoint as its health on the dashboard, with the service's own
    /// reason when it is not healthy (its schema gate's among them).
    /// </summary>
    /// <param name="service">A service that maps <c>/health</c> (ServiceDefaults' <c>MapDefaultEndpoints</c>).</param>
    /// <returns>The service's builder.</returns>
    public static IResourceBuilder<ProjectResource> WithSchemaGateHealthCheck(this IResourceBuilder<ProjectResource> service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var endpoint = service.GetEndpoint("http");
        var key = $"{service.Resource.Name}_health";
        var services = service.ApplicationBuilder.Services;
        services.AddHttpClient(key);
        // Every probe would otherwise log two lines a second while a service waits.
        services.AddLogging(logging => logging
            .AddFilter($"System.Net.Http.HttpClient.{key}.LogicalHandler", LogLevel.None)
            .AddFilter($"System.Net.Http.HttpClient.{key}.ClientHandler", LogLevel.None));
        services.AddHealthChecks().Add(new HealthCheckRegistration(key,
            provider => new GateHealthCheck(endpoint, () => provider.GetRequiredService<IHttpClientFactory>().CreateClient(key)),
            failureStatus: null, tags: null, timeout: Timeout));
        return service.WithHealthCheck(key);
    }
}

internal sealed class GateHealthCheck(EndpointReference endpoint, Func<HttpClient> createClient) : IHealthCheck
{
    public const string Path = HealthDocument.HealthPath;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(new Uri(await endpoint.GetValueAsync(cancellationToken) ?? ""), Path);
        try
        {
            using var response = await createClient().GetAsync(uri, cancellationToken);
            return Describe(response.StatusCode, ContractsJson.ReadHealth(await response.Content.ReadAsStringAsync(cancellationToken)));
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy($"{uri} does not answer yet: {ex.Message}");
        }
    }

    /// <summary>Healthy only on 200 with a healthy body; either way the description is the service's own words.</summary>
    public static HealthCheckResult Describe(HttpStatusCode status, HealthDocument? document)
    {
        if (document is null)
        {
            return status == HttpStatusCode.OK ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{Path} answered {(int)status}");
        }

        return status == HttpStatusCode.OK && document.Status == HealthDocument.Healthy
            ? HealthCheckResult.Healthy(Join(document.Checks.Select(c => c.Description)))
            : HealthCheckResult.Unhealthy(Join(document.Reasons));
    }

    private static string Join(IEnumerable<string?> descriptions) => string.Join("; ", descriptions.Where(d => !string.IsNullOrEmpty(d)));
}
