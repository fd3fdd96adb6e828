using System.Text.Json;

namespace DevLauncher.Testing;

/// <summary>
/// The Aspire CLI as the README has a developer run it: the checkout's local tool (.config/dotnet-tools.json, after
/// <c>dotnet tool restore</c>), as <c>dotnet aspire</c> from the checkout's root, without telemetry, a logo or prompts,
/// pointed at this checkout's AppHost project by its path, so that another AppHost running on the machine is never the
/// one asked.
/// </summary>
public static class AspireCli
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(6);

    private static readonly Lazy<Task<CommandResult>> Restored = new(RestoreAsync);

    public static string CheckoutRoot => RepositoryPaths.Root;

    public static string AppHostProject { get; } = Path.Combine(RepositoryPaths.Root, "DevLauncher.AppHost", "DevLauncher.AppHost.csproj");

    public static Task<CommandResult> RestoreAsync() =>
        CommandRun.RunAsync("dotnet", ["tool", "restore"], CheckoutRoot, Environment(), CommandTimeout);

    /// <summary><c>dotnet aspire &lt;command&gt; --nologo --non-interactive --apphost &lt;project&gt;</c>, then what follows <c>--</c>.</summary>
    /// <param name="appHost">Another AppHost's project file (the packed-consumer test's); this checkout's by default.</param>
    public static async Task<CommandResult> RunAsync(IEnumerable<string> command, IEnumerable<string>? appHostArguments = null,
        IReadOnlyDictionary<string, string>? environment = null, string? appHost = null)
    {
        var restored = await Restored.Value;
        if (restored.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet tool restore: {restored}");
        }

        string[] arguments = ["aspire", .. command, "--nologo", "--non-interactive", "--apphost", appHost ?? AppHostProject];
        if (appHostArguments is not null)
        {
            arguments = [.. arguments, "--", .. appHostArguments];
        }

        // What it printed travels in the result, which the tests' failure messages show.
        return await CommandRun.RunAsync("dotnet", arguments, CheckoutRoot, Environment(environment), CommandTimeout);
    }

    /// <summary>A dashboard command, waited for (<c>aspire resource</c>); a failure throws with what the CLI printed.</summary>
    public static async Task<string> RunCommandAsync(string resource, string command) => Succeeded(await RunAsync(["resource", resource, command]));

    /// <summary>A resource's console log so far (<c>aspire logs</c>).</summary>
    public static async Task<string> LogsAsync(string resource) => Succeeded(await RunAsync(["logs", resource]));

    /// <summary>One of a resource's environment variables as the AppHost gave it (<c>aspire describe</c>).</summary>
    public static async Task<string> EnvironmentAsync(string resource, string variable)
    {
        using var description = JsonDocument.Parse(Succeeded(await RunAsync(["describe", resource, "--format", "json"])));
        return description.RootElement.GetProperty("resources")[0].GetProperty("environment").GetProperty(variable).GetString()
            ?? throw new InvalidOperationException($"{resource} has no {variable}.");
    }

    private static string Succeeded(CommandResult result) =>
        result.ExitCode == 0 ? result.StandardOutput : throw new InvalidOperationException($"The Aspire CLI failed: {result}");

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra = null) =>
        new(extra ?? new Dictionary<string, string>()) { ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
}
