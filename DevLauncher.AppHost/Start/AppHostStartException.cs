namespace DevLauncher.AppHost.Start;

/// <summary>
/// Why the AppHost cannot start (a bad setting, a port another program holds, another AppHost on the same cluster):
/// its message is the one line the terminal shows before the AppHost exits with code 2, with nothing started.
/// </summary>
internal sealed class AppHostStartException(string message) : Exception(message);
