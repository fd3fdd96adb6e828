using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>Where a started app's services answer, and its database as the owner and as the services' role.</summary>
public sealed record AppEndpoints(string Frontend, string Auth, string Backend, string Database, string ServiceDatabase)
{
    public static async Task<AppEndpoints> OfAsync(DistributedApplication app, CancellationToken cancellationToken) => new(
        BaseAddress(app, ResourceNames.Frontend),
        BaseAddress(app, ResourceNames.Auth),
        BaseAddress(app, ResourceNames.Backend),
        await ConnectionStringAsync(app, ResourceNames.Database, cancellationToken),
        await ConnectionStringAsync(app, $"{ResourceNames.Database}-service", cancellationToken));

    /// <summary>Without the trailing slash, so that paths are appended as they are written in the tests.</summary>
    private static string BaseAddress(DistributedApplication app, string resourceName) =>
        app.GetEndpoint(resourceName, "http").GetLeftPart(UriPartial.Authority);

    private static async Task<string> ConnectionStringAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken) =>
        await app.GetConnectionStringAsync(resourceName, cancellationToken)
            ?? throw new InvalidOperationException($"{resourceName} has no connection string.");
}
