using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DevLauncher.Migrations.Engine;

internal static class MigrationRunnerExtensions
{
    /// <summary>
    /// The migration engine as <see cref="MigrationEngine.CreateRunner"/> composes it, with the worker's own files
    /// (<c>Scripts/*.sql</c> resources of <paramref name="embeddedScripts"/>) unless <c>Migrations:Directory</c> names a
    /// folder. The caller registers the <see cref="NpgsqlDataSource"/> (see <see cref="WorkerDataSource.Configure"/>)
    /// and binds <see cref="MigrationOptions"/>.
    /// </summary>
    public static IServiceCollection AddMigrationRunner(this IServiceCollection services, Assembly embeddedScripts)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MigrationsInstrumentation>();
        services.AddSingleton(provider => MigrationEngine.CreateRunner(
            provider.GetRequiredService<IOptions<MigrationOptions>>().Value,
            provider.GetRequiredService<NpgsqlDataSource>(),
            new EmbeddedMigrations(embeddedScripts),
            provider.GetRequiredService<MigrationsInstrumentation>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
