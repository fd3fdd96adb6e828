namespace DevLauncher.Hosting;

/// <summary>How DevLauncher reads its settings' values: a bad one refuses the start in one line that names its key.</summary>
internal static class SettingValues
{
    /// <summary>true or false; unset or empty is the default.</summary>
    /// <exception cref="DevLauncherStartException">The value is neither.</exception>
    public static bool Bool(IConfiguration configuration, string key, bool @default) => configuration[key] switch
    {
        null or "" => @default,
        var value when bool.TryParse(value, out var parsed) => parsed,
        var value => throw new DevLauncherStartException($"{key} is '{value}': write true or false."),
    };
}
