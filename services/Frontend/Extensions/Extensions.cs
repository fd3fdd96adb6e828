using DevLauncher.Frontend.Infrastructure;
using DevLauncher.Contracts;

namespace Microsoft.Extensions.Hosting;

internal static class FrontendExtensions
{
    /// <summary>
    /// The frontend runs no SQL of its own, but its pages are only useful once the backend's schema is there; it reads
    /// the schema history (as the services' role) so it reports "not ready" for the same reason the others do.
    /// </summary>
    public const long RequiredSchemaVersion = 6;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Razor Pages validate the anti-forgery token of every POST by default; the forms' tag helpers emit it.
        builder.Services.AddRazorPages();
        builder.Services.AddHttpClient<AuthClient>(c => c.BaseAddress = new Uri($"http://{ResourceNames.Auth}"));
        builder.Services.AddHttpClient<BackendClient>(c => c.BaseAddress = new Uri($"http://{ResourceNames.Backend}"));
        return builder;
    }
}
