namespace DevLauncher.Tests.Reliability;

/// <summary>
/// The load and fault tests run on their own, after the others: they judge how the system behaves under load, and on
/// a 2-core machine other tests running beside them would be part of that load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityTests
{
    public const string Name = "Reliability (not parallel)";
}
