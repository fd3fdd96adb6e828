using Microsoft.Extensions.Configuration;
using DevLauncher.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);

// The services log in as the least-privilege role the migrations create; the worker sets its password from this.
var servicePassword = builder.AddParameter("service-password", secret: true);

IResourceBuilder<IResourceWithConnectionString> database;
IResourceBuilder<IResourceWithConnectionString> serviceDatabase;
if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString(ResourceNames.Database)))
{
    // No container runtime: an existing server from user secrets (ConnectionStrings:appdb as the owner,
    // ConnectionStrings:appdb-service as devlauncher_service with the service-password).
    database = builder.AddConnectionString(ResourceNames.Database);
    serviceDatabase = builder.AddConnectionString(ResourceNames.Database + "-service");
}
else
{
    var postgres = builder.AddPostgres(ResourceNames.Postgres, password: builder.AddParameter("postgres-password", secret: true))
        .WithDataVolume()
        .WithLifetime(ContainerLifetime.Persistent);
    if (builder.Configuration.GetValue<bool>("DevLauncher:PgAdmin"))
    {
        postgres.WithPgAdmin();
    }

    database = postgres.AddDatabase(ResourceNames.Database);
    serviceDatabase = builder.AddConnectionString(ResourceNames.Database + "-service", ReferenceExpression.Create(
        $"Host={postgres.Resource.Host};Port={postgres.Resource.Port};Username=devlauncher_service;Password={servicePassword};Database={ResourceNames.Database}"));
}

var migrations = builder.AddProject<Projects.DevLauncher_Migrations>(ResourceNames.Migrations)
    .WithReference(database)
    .WaitFor(database)
    .WithEnvironment("Database__ServicePassword", servicePassword);

// Several workers at once is the failure this project exists to survive; WaitForCompletion waits for every replica.
if (builder.Configuration.GetValue("DevLauncher:MigrationReplicas", 1) is > 1 and var replicas)
{
    migrations.WithReplicas(replicas);
}

var auth = builder.AddProject<Projects.DevLauncher_Auth>(ResourceNames.Auth)
    .WithReference(serviceDatabase, connectionName: ResourceNames.Database)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

var backend = builder.AddProject<Projects.DevLauncher_Backend>(ResourceNames.Backend)
    .WithReference(serviceDatabase, connectionName: ResourceNames.Database)
    .WithReference(auth)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.DevLauncher_Frontend>(ResourceNames.Frontend)
    .WithReference(serviceDatabase, connectionName: ResourceNames.Database)
    .WithReference(backend)
    .WithReference(auth)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
