var builder = DistributedApplication.CreateBuilder(DevLauncherArguments.HttpWhenNoDevCertificate(args));

try
{
    var appdb = builder.AddAppDatabase("appdb");

    var migrations = builder.AddProject<Projects.Shop_Migrations>("migrations")
        .WithMigrationsFor(appdb);

    builder.AddProject<Projects.Shop_Api>("api")
        .WithAppDatabase(appdb)
        .WaitForCompletion(migrations)
        .WithSchemaGateHealthCheck();

    await builder.Build().RunAsync();
    return 0;
}
catch (DevLauncherStartException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
