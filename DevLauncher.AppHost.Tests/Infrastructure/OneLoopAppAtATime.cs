namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The schema loop's tests whose app is PostgreSQL and the worker without the three services: one at a time among
/// themselves, beside the whole-app tests (<see cref="OneAppAtATime"/>), since each is two processes of the app's
/// seven.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OneLoopAppAtATime
{
    public const string Name = "Schema loop without services";
}
