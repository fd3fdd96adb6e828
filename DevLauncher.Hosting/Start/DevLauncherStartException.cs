namespace Aspire.Hosting;

/// <summary>
/// Why the AppHost cannot start (a bad setting, a port another program holds, another AppHost on the same cluster):
/// its message is the one line to show before the AppHost exits with code 2, with nothing started.
/// </summary>
public sealed class DevLauncherStartException : Exception
{
    /// <summary>A refusal whose message names the setting, port or folder, and what to do.</summary>
    /// <param name="message">One line.</param>
    public DevLauncherStartException(string message)
        : base(message)
    {
    }
}
