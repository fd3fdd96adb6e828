using Microsoft.Extensions.Options;

var builder = DistributedApplication.CreateBuilder(DevLauncherArguments.HttpWhenNoDevCertificate(args));

try
{
    var appdb = builder.AddAppDatabase(ResourceNames.Database);

    var migrations = builder.AddProject<Projects.DevLauncher_Migrations>(ResourceNames.Migrations)
        .WithMigrationsFor(appdb);

    var auth = builder.AddProject<Projects.DevLauncher_Auth>(ResourceNames.Auth)
        .WithAppDatabase(appdb).WaitForCompletion(migrations).WithSchemaGateHealthCheck();

    var backend = builder.AddProject<Projects.DevLauncher_Backend>(ResourceNames.Backend)
        .WithAppDatabase(appdb).WaitForCompletion(migrations).WithSchemaGateHealthCheck()
        .WithReference(auth);

    builder.AddProject<Projects.DevLauncher_Frontend>(ResourceNames.Frontend)
        .WithAppDatabase(appdb).WaitForCompletion(migrations).WithSchemaGateHealthCheck()
        .WithReference(backend).WithReference(auth)
        .WithExternalHttpEndpoints();

    await builder.Build().RunAsync();
    return 0;
}
catch (Exception ex) when (ex is DevLauncherStartException or OptionsValidationException)
{
    // Before anything started: one line that says what to do, and the exit code scripts read.
    Console.Error.WriteLine(ex.Message);
    return 2;
}
