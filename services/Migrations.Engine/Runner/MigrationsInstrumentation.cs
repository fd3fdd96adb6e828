using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DevLauncher.Migrations.Engine;

/// <summary>
/// The worker's spans and metrics. Named under "DevLauncher." so ServiceDefaults exports them; under the AppHost the
/// dashboard shows "migrations.run" with a child span per migration.
/// </summary>
internal sealed class MigrationsInstrumentation : IDisposable
{
    public const string Name = "DevLauncher.Migrations";

    public MigrationsInstrumentation(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        Applied = meter.CreateCounter<long>("devlauncher.migrations.applied", unit: "{migration}",
            description: "Migrations this worker applied.");
        LockWait = meter.CreateHistogram<double>("devlauncher.migrations.lock_wait", unit: "s",
            description: "Time spent waiting for the migration advisory lock.");
    }

    public ActivitySource ActivitySource { get; } = new(Name);

    public Counter<long> Applied { get; }

    public Histogram<double> LockWait { get; }

    public void Dispose() => ActivitySource.Dispose();
}
