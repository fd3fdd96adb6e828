using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DevLauncher.Hosting.Start;

/// <summary>
/// Aspire 13.6 starts a project resource as <c>dotnet run --project … --no-build</c>, which evaluates the project with
/// MSBuild before the program's Main: a cost paid by the worker before the services may start, and by each service at
/// every start, on every F5 (measured in docs/performance.md, scenario 8). <c>--no-build</c> runs what the last build
/// left in the project's output folder; this starts that same program directly (Aspire's
/// <see cref="ExecutableAnnotation"/> on the project), for the migration workers and the services of the app databases.
/// </summary>
/// <remarks>
/// Left to <c>dotnet run</c>: an IDE's debug session and <c>dotnet watch</c>, which launch projects themselves; a project
/// whose program is not where the SDK's defaults put it, or whose output is older than what the compiler last wrote;
/// and <see cref="SettingKey"/>=false.
/// </remarks>
internal static class BuildOutputLaunch
{
    public const string SettingKey = "DevLauncher:LaunchFromBuildOutput";

    public static IDistributedApplicationBuilder LaunchFromBuildOutput(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            var buildConfiguration = ConfigurationOf(builder.AppHostAssembly);
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                Apply(e.Model, e.Services.GetRequiredService<IConfiguration>(), buildConfiguration,
                    e.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BuildOutputLaunch)));
                return Task.CompletedTask;
            });
        }

        return builder;
    }

    /// <summary>Each project that runs its built program gets the annotation that says so.</summary>
    /// <param name="buildConfiguration">The AppHost's build configuration, which Aspire passes to each project's <c>dotnet run</c>.</param>
    public static void Apply(DistributedApplicationModel model, IConfiguration configuration, string buildConfiguration, ILogger logger)
    {
        if (!SettingValues.Bool(configuration, SettingKey, @default: true) || LaunchedByAnotherTool(configuration))
        {
            return;
        }

        foreach (var project in Projects(model).Where(p => !p.HasAnnotationOfType<ExecutableAnnotation>()))
        {
            var projectPath = project.GetProjectMetadata().ProjectPath;
            if (BuildOutputProgram.Find(projectPath, buildConfiguration) is { } program)
            {
                project.Annotations.Add(new ExecutableAnnotation { Command = program, WorkingDirectory = Path.GetDirectoryName(projectPath)! });
                logger.LogDebug("{Resource} starts {Program} directly", project.Name, program);
            }
            else
            {
                logger.LogDebug("{Resource} starts with dotnet run: no up-to-date program in its output folder", project.Name);
            }
        }
    }

    /// <summary>The migration workers and the services of every app database.</summary>
    private static IEnumerable<ProjectResource> Projects(DistributedApplicationModel model) =>
        model.AppDatabases().Select(d => d.Database.Worker).OfType<IResource>().Concat(model.Services()).OfType<ProjectResource>().Distinct();

    /// <summary>An IDE's debug session (Visual Studio, VS Code, Rider) or <c>dotnet watch</c> launches the projects its own way.</summary>
    private static bool LaunchedByAnotherTool(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["DEBUG_SESSION_PORT"]) || configuration.GetValue<bool>("DOTNET_WATCH");

    /// <summary>The AppHost assembly's build configuration.</summary>
    public static string ConfigurationOf(Assembly? appHost) =>
        appHost?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
