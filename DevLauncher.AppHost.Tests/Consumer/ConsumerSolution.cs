using System.Globalization;
using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests.Consumer;

/// <summary>
/// A new user's solution, as they would write it: an AppHost, one API service and its own worker (Consumer/Shop),
/// copied into a folder of the test's own, on this checkout's packages from a local folder feed, by version.
/// </summary>
internal sealed class ConsumerSolution
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    private ConsumerSolution(string root, string version)
    {
        Root = root;
        Version = version;
    }

    public string Root { get; }

    /// <summary>Unique to the run: the global NuGet cache would otherwise serve an older pack of the same version.</summary>
    public string Version { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string Solution => Path.Combine(Root, "shop");

    public string AppHostProject => Path.Combine(Solution, "Shop.AppHost", "Shop.AppHost.csproj");

    public string ScriptsDirectory => Path.Combine(Solution, "Shop.Migrations", "Scripts");

    public static ConsumerSolution In(string root) =>
        new(root, $"0.1.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary><c>dotnet pack</c> of the packages (DevLauncher.Packages.slnf), built apart from the checkout's own output.</summary>
    public Task<CommandResult> PackAsync() => Dotnet(AspireCli.CheckoutRoot,
        "pack", Path.Combine(AspireCli.CheckoutRoot, "DevLauncher.Packages.slnf"), "-o", Feed,
        "--artifacts-path", Path.Combine(Root, "artifacts"), $"-p:Version={Version}", "-nologo");

    /// <summary>The template with the feed and the version filled in, and a git checkout on <c>main</c> around it.</summary>
    public void Write()
    {
        var template = Path.Combine(AppContext.BaseDirectory, "Consumer", "Shop");
        foreach (var file in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Solution, Path.GetRelativePath(template, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, File.ReadAllText(file)
                .Replace("DEVLAUNCHER_FEED", Feed, StringComparison.Ordinal)
                .Replace("DEVLAUNCHER_VERSION", Version, StringComparison.Ordinal));
        }

        File.Copy(Path.Combine(AspireCli.CheckoutRoot, "global.json"), Path.Combine(Solution, "global.json"));
        var heads = Path.Combine(Solution, ".git", "refs", "heads");
        Directory.CreateDirectory(heads);
        File.WriteAllText(Path.Combine(heads, "main"), GitCheckoutFolder.Commit + "\n");
        File.WriteAllText(Path.Combine(Solution, ".git", "HEAD"), "ref: refs/heads/main\n");
    }

    public Task<CommandResult> BuildAsync() => Dotnet(Solution, "build", AppHostProject, "-nologo");

    public string WriteMigration(string fileName, string sql)
    {
        var path = Path.Combine(ScriptsDirectory, fileName);
        File.WriteAllText(path, sql);
        return path;
    }

    private static Task<CommandResult> Dotnet(string workingDirectory, params string[] arguments) =>
        CommandRun.RunAsync("dotnet", arguments, workingDirectory,
            new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }, BuildTimeout);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Solution} on {Version}");
}
