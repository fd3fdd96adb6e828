var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

using var host = builder.Build();
return await host.RunToCompletionAsync();
