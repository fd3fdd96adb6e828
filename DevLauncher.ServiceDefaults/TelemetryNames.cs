namespace DevLauncher.ServiceDefaults;

internal static class TelemetryNames
{
    /// <summary>Every ActivitySource and Meter of ours is named under this prefix so one wildcard exports them all.</summary>
    public const string DevLauncherSourcePrefix = "DevLauncher.";
    public const string DevLauncherMeterPrefix = "DevLauncher.";
}
