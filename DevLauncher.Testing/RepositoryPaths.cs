using System.Reflection;

namespace DevLauncher.Testing;

/// <summary>Where the checkout and its built programs are, so tests and the bench run the same binaries a user runs.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built dll of a project under the repository, e.g. ("services/Migrations", "DevLauncher.Migrations").</summary>
    public static string ProjectDll(string projectFolder, string assemblyName)
    {
        var path = Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is not built; the test project references it, so build the tests first.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DevLauncher.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No DevLauncher.sln above {AppContext.BaseDirectory}.");
    }
}
