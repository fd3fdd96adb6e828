using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>What one run of the CLI printed, and its exit code.</summary>
public sealed record CliRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything it printed, each run of white space one space: the CLI wraps its lines at the terminal's width.</summary>
    public string Text => Regex.Replace($"{StandardOutput} {StandardError}", @"\s+", " ").Trim();

    public override string ToString() => $"exit {ExitCode}: {Text}";
}

/// <summary>
/// The Aspire CLI, the repository's local tool (<c>.config/dotnet-tools.json</c>), run as a developer runs it:
/// <c>dotnet aspire ...</c> in the repository's root against this repository's AppHost. The CLI finds a running AppHost
/// by the project file: the AppHost listens on a socket in <c>~/.aspire/cli/bch</c> named after its project's path (and
/// its process id), so <c>--apphost</c> must name the same file the AppHost was built from.
/// </summary>
public static class AspireCli
{
    private static readonly Lazy<Task> Restored = new(() => RunAsync("dotnet", ["tool", "restore"], CancellationToken.None)
        .ContinueWith(t => Assert.True(t.Result.ExitCode == 0, $"dotnet tool restore: {t.Result}"), TaskScheduler.Default));

    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Projects.DevLauncher_AppHost.ProjectPath, ".."));

    public static string AppHostProject => Path.Combine(Projects.DevLauncher_AppHost.ProjectPath, "DevLauncher.AppHost.csproj");

    /// <summary><c>dotnet aspire &lt;arguments&gt; --nologo --non-interactive --apphost &lt;the AppHost's project&gt;</c>.</summary>
    public static async Task<CliRun> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        await Restored.Value;
        return await RunAsync("dotnet", ["aspire", .. arguments, "--nologo", "--non-interactive", "--apphost", AppHostProject], cancellationToken);
    }

    private static async Task<CliRun> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
            Environment = { ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "1", ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CliRun(process.ExitCode, await output, await errors);
    }
}
