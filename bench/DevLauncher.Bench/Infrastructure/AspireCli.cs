using System.Text.Json;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>
/// <c>dotnet aspire</c>, the repository's local tool, against the AppHost of this checkout while it runs, as a
/// developer's terminal (or a script) uses it. Named by its project, so that another AppHost running on the machine is
/// never the one asked.
/// </summary>
public sealed class AspireCli(string root)
{
    private readonly string _appHost = Path.Combine(root, "DevLauncher.AppHost", "DevLauncher.AppHost.csproj");

    /// <summary>A dashboard command, waited for (<c>aspire resource</c>); a failure throws with what the CLI printed.</summary>
    public Task<string> RunCommandAsync(string resource, string command) => RunAsync(["resource", resource, command]);

    /// <summary>A resource's console log so far (<c>aspire logs</c>).</summary>
    public Task<string> LogsAsync(string resource) => RunAsync(["logs", resource]);

    /// <summary>One of a resource's environment variables as the AppHost gave it (<c>aspire describe</c>).</summary>
    public async Task<string> EnvironmentAsync(string resource, string variable)
    {
        using var description = JsonDocument.Parse(await RunAsync(["describe", resource, "--format", "json"]));
        return description.RootElement.GetProperty("resources")[0].GetProperty("environment").GetProperty(variable).GetString()
            ?? throw new InvalidOperationException($"{resource} has no {variable}.");
    }

    private async Task<string> RunAsync(IReadOnlyList<string> arguments)
    {
        var (exitCode, output, errors) = await ChildProcess.RunAsync("dotnet", ["aspire", .. arguments, "--apphost", _appHost, "--nologo", "--non-interactive"],
            [("ASPIRE_CLI_TELEMETRY_OPTOUT", "1")], workingDirectory: root);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"dotnet aspire {string.Join(' ', arguments)} exited with {exitCode}: {output.Trim()} {errors.Trim()}");
    }
}
