using System.Runtime.CompilerServices;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>Each Aspire CLI run, with what it printed, in the output of the test that ran it.</summary>
internal static class AspireCliOutput
{
    [ModuleInitializer]
    internal static void Attach() => AspireCli.Log = line => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
