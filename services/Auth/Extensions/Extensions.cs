using DevLauncher.Auth.Data;
using DevLauncher.Auth.Model;
using Microsoft.AspNetCore.Identity;

namespace Microsoft.Extensions.Hosting;

internal static class AuthExtensions
{
    /// <summary>Auth reads and writes users and sessions: schema 0003 is the newest migration it depends on.</summary>
    public const long RequiredSchemaVersion = 3;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<SessionStore>();
        return builder;
    }
}
