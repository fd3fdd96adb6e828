using DevLauncher.AppHost;
using DevLauncher.AppHost.Database;
using DevLauncher.AppHost.Health;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;
using DevLauncher.AppHost.Start;
using DevLauncher.AppHost.Terminal;
using Microsoft.Extensions.Options;

var builder = DistributedApplication.CreateBuilder(DevCertificate.HttpWhenMissing(args, Environment.GetEnvironmentVariable, TimeProvider.System));

try
{
    // First of the checks before the start, so a port in use refuses it before the local server's folder is touched.
    builder.CheckPortsBeforeStart();
    var postgres = PostgresSettings.Resolve(builder.Configuration, builder.AppHostDirectory, builder.ExecutionContext.IsRunMode);
    var databaseSettings = DatabaseSettings.Resolve(builder.Configuration, builder.AppHostDirectory);
    var migrations = builder.AddProject<Projects.DevLauncher_Migrations>(ResourceNames.Migrations);
    var files = WorkerFiles.Of(migrations, builder.Configuration, builder.AppHostDirectory, seeds: postgres.Mode != PostgresMode.Existing || databaseSettings.SeedExistingServer);
    var database = builder.AddAppDatabase(postgres, databaseSettings, files);

    var auth = builder.AddProject<Projects.DevLauncher_Auth>(ResourceNames.Auth)
        .WithReference(database.Service, ResourceNames.Database)
        .WaitForCompletion(migrations)
        .WithGateHealthCheck();

    var backend = builder.AddProject<Projects.DevLauncher_Backend>(ResourceNames.Backend)
        .WithReference(database.Service, ResourceNames.Database)
        .WithReference(auth)
        .WaitForCompletion(migrations)
        .WithGateHealthCheck();

    var frontend = builder.AddProject<Projects.DevLauncher_Frontend>(ResourceNames.Frontend)
        .WithReference(database.Service, ResourceNames.Database)
        .WithReference(backend)
        .WithReference(auth)
        .WaitForCompletion(migrations)
        .WithGateHealthCheck()
        .WithExternalHttpEndpoints();

    migrations
        .WithReference(database.Owner)
        .WaitFor(database.Owner)
        .WithServicePassword(database.ServicePassword)
        .WithWorkerFiles(files)
        .WithMigrationRuns(database, auth, backend, frontend)
        .WithApplyMigrationsCommand()
        .WithCheckMigrationsCommand(database, files)
        .WithUndoMigrationCommand(database);

    database.Owner
        .WithResetDatabaseCommand(database, migrations, auth, backend, frontend)
        .WithBranchDatabaseCommands(database);

    builder.StopFirst(auth, backend, frontend);
    builder.ReportFailuresInTerminal();

    await builder.Build().RunAsync();
    return 0;
}
catch (Exception ex) when (ex is AppHostStartException or OptionsValidationException)
{
    // Before anything started: one line that says what to do, and the exit code scripts read.
    Console.Error.WriteLine(ex.Message);
    return 2;
}
