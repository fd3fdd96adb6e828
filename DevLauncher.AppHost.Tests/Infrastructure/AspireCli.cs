namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The Aspire CLI as the README has a developer run it: the checkout's local tool (.config/dotnet-tools.json, after
/// <c>dotnet tool restore</c>), as <c>dotnet aspire</c> from the checkout's root, without telemetry, a logo or prompts,
/// pointed at this checkout's AppHost project.
/// </summary>
public static class AspireCli
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(6);

    private static readonly Lazy<Task<CommandResult>> Restored = new(() => RestoreAsync());

    public static string CheckoutRoot { get; } = Path.GetFullPath(Path.Combine(Projects.DevLauncher_AppHost.ProjectPath, ".."));

    public static string AppHostProject { get; } = Path.Combine(Projects.DevLauncher_AppHost.ProjectPath, "DevLauncher.AppHost.csproj");

    public static Task<CommandResult> RestoreAsync() =>
        CommandRun.RunAsync("dotnet", ["tool", "restore"], CheckoutRoot, Environment(), CommandTimeout);

    /// <summary><c>dotnet aspire &lt;command&gt; --nologo --non-interactive --apphost &lt;project&gt;</c>, then what follows <c>--</c>.</summary>
    /// <param name="appHost">Another AppHost's project file (the packed-consumer test's); this checkout's by default.</param>
    public static async Task<CommandResult> RunAsync(IEnumerable<string> command, IEnumerable<string>? appHostArguments = null,
        IReadOnlyDictionary<string, string>? environment = null, string? appHost = null)
    {
        var restored = await Restored.Value;
        Assert.True(restored.ExitCode == 0, $"dotnet tool restore: {restored}");
        string[] arguments = ["aspire", .. command, "--nologo", "--non-interactive", "--apphost", appHost ?? AppHostProject];
        if (appHostArguments is not null)
        {
            arguments = [.. arguments, "--", .. appHostArguments];
        }

        var result = await CommandRun.RunAsync("dotnet", arguments, CheckoutRoot, Environment(environment), CommandTimeout);
        TestContext.Current.TestOutputHelper?.WriteLine($"dotnet {string.Join(' ', arguments)}: {result}");
        return result;
    }

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra = null) =>
        new(extra ?? new Dictionary<string, string>()) { ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
}
