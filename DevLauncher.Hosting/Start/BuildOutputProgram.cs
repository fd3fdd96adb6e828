namespace DevLauncher.Hosting.Start;

/// <summary>
/// The program <c>dotnet run --no-build</c> would run for a project, found where the SDK's defaults put it:
/// <c>bin/{configuration}/{target framework}/{project name}</c>, the apphost the build made beside the assembly.
/// </summary>
internal static class BuildOutputProgram
{
    /// <returns>The program's path, or null when it is not found in exactly one target framework's folder, or when the
    /// compiler has since written another assembly in that framework's obj folder (an AssemblyName changed, say): a
    /// stale program is never started in place of what <c>dotnet run</c> would run.</returns>
    public static string? Find(string projectPath, string configuration)
    {
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var name = Path.GetFileNameWithoutExtension(projectPath);
        var output = Path.Combine(projectDirectory, "bin", configuration);
        if (!Directory.Exists(output))
        {
            return null;
        }

        var found = Directory.EnumerateDirectories(output)
            .Where(folder => File.Exists(Path.Combine(folder, $"{name}.dll")) && File.Exists(Path.Combine(folder, $"{name}.runtimeconfig.json")))
            .Take(2).ToList();
        return found is [var folder] && Program(folder, name) is { } program && IsCurrent(projectDirectory, configuration, folder, name)
            ? program
            : null;
    }

    private static string? Program(string folder, string name)
    {
        var program = Path.Combine(folder, OperatingSystem.IsWindows() ? $"{name}.exe" : name);
        return File.Exists(program) ? program : null;
    }

    /// <summary>The assembly in the output is the newest the compiler wrote for that framework.</summary>
    private static bool IsCurrent(string projectDirectory, string configuration, string folder, string name)
    {
        var intermediate = Path.Combine(projectDirectory, "obj", configuration, Path.GetFileName(folder));
        var compiled = new FileInfo(Path.Combine(intermediate, $"{name}.dll"));
        if (!compiled.Exists)
        {
            return false;
        }

        var newest = new DirectoryInfo(intermediate).EnumerateFiles("*.dll").Max(f => f.LastWriteTimeUtc);
        return compiled.LastWriteTimeUtc >= newest && File.GetLastWriteTimeUtc(Path.Combine(folder, $"{name}.dll")) >= compiled.LastWriteTimeUtc;
    }
}
