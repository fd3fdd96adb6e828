namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>The tests that start the whole app: one at a time, since each runs seven processes on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class OneAppAtATime
{
    public const string Name = "AppHost";
}
