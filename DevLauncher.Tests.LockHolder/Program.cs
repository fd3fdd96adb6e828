using DevLauncher.LocalPostgres;

// Takes the lock of the cluster folder it is given, says so, and holds it until it is killed, or for two minutes, so
// that a test run that dies first leaves nothing running for long.
using var clusterLock = ClusterLock.Acquire(args[0]);
Console.WriteLine("locked");
await Task.Delay(TimeSpan.FromMinutes(2));
