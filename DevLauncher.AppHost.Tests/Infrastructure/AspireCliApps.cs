namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// The tests that drive this AppHost, run as its own process, with the Aspire CLI: alone, with no other test running.
/// <c>--apphost</c> connects to any running app of the same AppHost project, and the apps the other tests build in the
/// test host are of that project too: a CI run saw <c>aspire wait</c> connect to one of them and lose it when its test
/// ended.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AspireCliApps
{
    public const string Name = "Aspire CLI";
}
