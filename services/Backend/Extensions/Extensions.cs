using DevLauncher.Backend.Data;
using DevLauncher.Backend.Infrastructure;
using DevLauncher.Contracts;
using Microsoft.Extensions.Http.Resilience;

namespace Microsoft.Extensions.Hosting;

internal static class BackendExtensions
{
    /// <summary>The backend lists messages by thread with the index of migration 0006.</summary>
    public const long RequiredSchemaVersion = 6;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // "http://auth" is resolved by service discovery from services__auth__http__0 (set by the AppHost).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace the default.
        builder.Services.AddHttpClient<AuthClient>(client => client.BaseAddress = new Uri($"http://{ResourceNames.Auth}"))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(ConfigureAuthResilience);
#pragma warning restore EXTEXP0001

        builder.Services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, SessionAuthenticationHandler>(
                SessionAuthenticationHandler.SchemeName, _ => { });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<ThreadStore>();
        return builder;
    }

    /// <summary>
    /// Every backend request waits on this call, so when auth is down the caller should get a 503 within seconds,
    /// not after the default handler's 30 s of retries.
    /// </summary>
    private static void ConfigureAuthResilience(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(2);
    }
}
