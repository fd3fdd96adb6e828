using Microsoft.Extensions.Logging;

namespace DevLauncher.Hosting;

/// <summary>
/// Loggers that write to a resource's console log on the dashboard, whatever their category: work the AppHost does for a
/// resource in its own process (the engine building a template) is read where that resource's log is, not in the
/// AppHost's terminal, which keeps its lines for what a developer must act on.
/// </summary>
internal sealed class ResourceLogging(ILogger resourceLogger) : ILoggerProvider
{
    public static ILoggerFactory For(IResource resource, ResourceLoggerService loggers) =>
        LoggerFactory.Create(logging => logging.AddProvider(new ResourceLogging(loggers.GetLogger(resource))));

    public ILogger CreateLogger(string categoryName) => resourceLogger;

    public void Dispose()
    {
    }
}
