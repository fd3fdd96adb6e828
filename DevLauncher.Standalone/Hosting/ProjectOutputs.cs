using System.Reflection;

namespace DevLauncher.Standalone.Hosting;

/// <summary>
/// Where the worker and the services were built. The host references their projects (so <c>dotnet run</c> builds
/// them first) and runs each from its own output folder, with its own dependencies, as a separate process.
/// </summary>
public static class ProjectOutputs
{
    public static string RepositoryRoot { get; } =
        typeof(ProjectOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("The host was built without its RepositoryRoot metadata.");

    private static string Configuration { get; } =
        typeof(ProjectOutputs).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Dll(string projectFolder, string assemblyName)
    {
        var path = Path.Combine(RepositoryRoot, projectFolder, "bin", Configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is missing. Build the solution first (dotnet run --project DevLauncher.Standalone builds it).", path);
    }
}
