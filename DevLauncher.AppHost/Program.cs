using DevLauncher.AppHost;
using DevLauncher.AppHost.Database;
using DevLauncher.AppHost.Health;
using DevLauncher.AppHost.Migrations;
using DevLauncher.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(DevCertificate.HttpWhenMissing(args, Environment.GetEnvironmentVariable, TimeProvider.System));

AppDatabase database;
try
{
    var settings = PostgresSettings.Resolve(builder.Configuration, builder.AppHostDirectory, new ContainerRuntimeProbe(builder.Configuration));
    database = builder.AddAppDatabase(settings);
}
catch (PostgresSettingsException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var migrations = builder.AddProject<Projects.DevLauncher_Migrations>(ResourceNames.Migrations)
    .WithReference(database.Owner)
    .WaitFor(database.Owner)
    .WithEnvironment("Database__ServicePassword", database.ServicePassword)
    .WithMigrationsDirectory(builder)
    .WithMigrationState(database.Owner)
    .WithApplyMigrationsCommand()
    .WithCheckMigrationsCommand();

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

database.Owner.WithResetDatabaseCommand(migrations, auth, backend, frontend);
builder.StopFirst(auth, backend, frontend);

builder.Build().Run();
return 0;
