namespace DevLauncher.Bench.Infrastructure;

/// <summary>A step a figure depends on: when it fails, the run stops rather than report the time of something that did not happen.</summary>
public static class Require
{
    public static void That(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{what} failed during the benchmark");
        }
    }
}
