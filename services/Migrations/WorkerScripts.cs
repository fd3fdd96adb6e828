using System.Reflection;

namespace DevLauncher.Migrations;

/// <summary>The assembly that embeds this worker's <c>Scripts/*.sql</c>, for the tests and the bench that run its migrations in-process.</summary>
internal static class WorkerScripts
{
    public static Assembly Assembly => typeof(WorkerScripts).Assembly;
}
