using System.Data.Common;
using DevLauncher.ServiceDefaults;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// The services log in as devlauncher_service, the least-privilege role migration 0007 creates; after every run the
// worker sets that role's password to this value. Generated once and kept in the AppHost's user secrets.
var servicePassword = builder.AddParameter("service-password",
    new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

IResourceBuilder<IResourceWithConnectionString> database;
ReferenceExpression serviceConnectionString;
if (builder.Configuration.GetConnectionString(ResourceNames.Database) is { Length: > 0 } existingServer)
{
    // No container runtime: ConnectionStrings:appdb (a user secret) names an existing server, as the database owner.
    database = builder.AddConnectionString(ResourceNames.Database);
    serviceConnectionString = ReferenceExpression.Create(
        $"{WithoutCredentials(existingServer)};Username=devlauncher_service;Password={servicePassword}");
}
else
{
    // Persistent, with a volume: the database survives AppHost restarts, so F5 does not re-create it every time.
    var postgres = builder.AddPostgres(ResourceNames.Postgres,
            password: builder.AddParameter("postgres-password", new GenerateParameterDefault { MinLength = 22 }, secret: true, persist: true))
        .WithDataVolume()
        .WithLifetime(ContainerLifetime.Persistent);
    if (builder.Configuration.GetValue<bool>("DevLauncher:PgAdmin"))
    {
        postgres.WithPgAdmin();
    }

    var appdb = postgres.AddDatabase(ResourceNames.Database);
    database = appdb;
    serviceConnectionString = ReferenceExpression.Create(
        $"Host={postgres.Resource.Host};Port={postgres.Resource.Port};Username=devlauncher_service;Password={servicePassword};Database={appdb.Resource.DatabaseName}");
}

// The services get this as ConnectionStrings__appdb: a reference to the owner's database would also hand them the
// owner's password (APPDB_PASSWORD, APPDB_URI).
var serviceDatabase = builder.AddConnectionString($"{ResourceNames.Database}-service", serviceConnectionString);

var migrations = builder.AddProject<Projects.DevLauncher_Migrations>(ResourceNames.Migrations)
    .WithReference(database)
    .WaitFor(database)
    .WithEnvironment("Database__ServicePassword", servicePassword);

var auth = builder.AddProject<Projects.DevLauncher_Auth>(ResourceNames.Auth)
    .WithReference(serviceDatabase, ResourceNames.Database)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

var backend = builder.AddProject<Projects.DevLauncher_Backend>(ResourceNames.Backend)
    .WithReference(serviceDatabase, ResourceNames.Database)
    .WithReference(auth)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.DevLauncher_Frontend>(ResourceNames.Frontend)
    .WithReference(serviceDatabase, ResourceNames.Database)
    .WithReference(backend)
    .WithReference(auth)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();

// Host, port, database and options of the owner's connection string, without the owner's user name and password.
static string WithoutCredentials(string connectionString)
{
    var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
    foreach (var key in new[] { "Username", "User Name", "UserName", "User Id", "UserId", "User", "UID", "Password", "PWD", "PSW" })
    {
        parts.Remove(key);
    }

    return parts.ConnectionString;
}
