using DevLauncher.Contracts;

var builder = Host.CreateApplicationBuilder(args);

builder.AddBasicServiceDefaults();
builder.AddMigrationWorker(ResourceNames.Database);

using var host = builder.Build();
return await host.RunMigrationWorkerAsync();
