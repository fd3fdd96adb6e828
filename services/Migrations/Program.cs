var builder = Host.CreateApplicationBuilder(args);

builder.AddBasicServiceDefaults();
builder.AddApplicationServices();

using var host = builder.Build();
return await host.RunToCompletionAsync();
