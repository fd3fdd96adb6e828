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

    private readonly Meter? _ownMeter;

    public MigrationsInstrumentation(IMeterFactory meterFactory)
        : this(meterFactory.Create(Name), ownsMeter: false)
    {
    }

    /// <summary>Without a host's meter factory (the engine run in process): a meter of its own, disposed with this.</summary>
    internal MigrationsInstrumentation()
        : this(new Meter(Name), ownsMeter: true)
    {
    }

    private MigrationsInstrumentation(Meter meter, bool ownsMeter)
    {
        _ownMeter = ownsMeter ? meter : null;
        Applied = meter.CreateCounter<long>("devlauncher.migrations.applied", unit: "{migration}",
            description: "Migrations this worker applied.");
        LockWait = meter.CreateHistogram<double>("devlauncher.migrations.lock_wait", unit: "s",
            description: "Time spent waiting for the migration advisory lock.");
    }

    public ActivitySource ActivitySource { get; } = new(Name);

    public Counter<long> Applied { get; }

    public Histogram<double> LockWait { get; }

    public void Dispose()
    {
        ActivitySource.Dispose();
        _ownMeter?.Dispose();
    }
}
