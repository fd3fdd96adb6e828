using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DevLauncher.Migrations.Engine;

internal static class MigrationRunnerExtensions
{
    /// <summary>
    /// The migration engine, with the worker's own files (<c>Scripts/*.sql</c> resources of
    /// <paramref name="embeddedScripts"/>) unless <c>Migrations:Directory</c> names a folder. The caller registers the
    /// <see cref="Npgsql.NpgsqlDataSource"/> (see <see cref="WorkerDataSource.Configure"/>) and binds
    /// <see cref="MigrationOptions"/>.
    /// </summary>
    public static IServiceCollection AddMigrationRunner(this IServiceCollection services, Assembly embeddedScripts)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new EmbeddedMigrations(embeddedScripts));
        services.AddSingleton<MigrationsInstrumentation>();
        services.AddSingleton<MigrationScriptSource>();
        services.AddSingleton<MigrationRunner>();
        return services;
    }
}
