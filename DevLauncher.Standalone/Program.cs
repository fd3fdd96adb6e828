using System.CommandLine;
using DevLauncher.Standalone.Console;
using DevLauncher.Standalone.Hosting;
using DevLauncher.Standalone.Model;

var portBase = new Option<int>("--port-base") { Description = "First of three loopback ports: frontend, auth, backend.", DefaultValueFactory = _ => StandaloneOptions.DefaultPortBase };
var database = new Option<string?>("--database") { Description = "Use an existing PostgreSQL (connection string of the database owner) instead of the embedded one." };
var reset = new Option<bool>("--reset") { Description = "Start from an empty embedded cluster (deletes .devlauncher/postgres)." };
var dataDir = new Option<string>("--data-dir") { Description = "Where the embedded cluster and secrets live.", DefaultValueFactory = _ => Path.Combine(ProjectOutputs.RepositoryRoot, ".devlauncher") };
var readyFile = new Option<string?>("--ready-file") { Description = "Write the endpoints as JSON to this file once every service is healthy." };
var migrationsDir = new Option<string?>("--migrations-dir") { Description = "Run the .sql migrations in this folder instead of the embedded ones." };
var jsonLogs = new Option<bool>("--json-logs") { Description = "Services log JSON lines with TraceId and SpanId." };
var consoleTraces = new Option<bool>("--console-traces") { Description = "Every process also prints its spans, with their attributes." };

var root = new RootCommand("Runs DevLauncher's PostgreSQL, migration worker and services on this machine, without Docker or Aspire.")
{
    portBase, database, reset, dataDir, readyFile, migrationsDir, jsonLogs, consoleTraces,
};
root.SetAction((parsed, cancellationToken) =>
{
    var options = new StandaloneOptions
    {
        PortBase = parsed.GetValue(portBase),
        Database = parsed.GetValue(database),
        Reset = parsed.GetValue(reset),
        DataDirectory = Path.GetFullPath(parsed.GetValue(dataDir)!),
        ReadyFile = parsed.GetValue(readyFile),
        MigrationsDirectory = parsed.GetValue(migrationsDir),
        JsonLogs = parsed.GetValue(jsonLogs),
        ConsoleTraces = parsed.GetValue(consoleTraces),
    };
    var view = new StatusView(Console.Out, color: !Console.IsOutputRedirected, TimeProvider.System);
    // System.CommandLine cancels the token on Ctrl-C and SIGTERM: the orchestrator then stops everything in order.
    return new Orchestrator(options, view, TimeProvider.System).RunAsync(cancellationToken);
});

return await root.Parse(args).InvokeAsync();
