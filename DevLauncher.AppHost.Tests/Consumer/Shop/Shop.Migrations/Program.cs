var builder = Host.CreateApplicationBuilder(args);
builder.AddMigrationWorker("appdb");

using var host = builder.Build();
return await host.RunMigrationWorkerAsync();
