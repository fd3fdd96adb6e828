using DevLauncher.Backend.Apis;
using DevLauncher.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSchemaGate(BackendExtensions.RequiredSchemaVersion);
builder.AddApiDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiDefaults();
app.UseSchemaGate();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapThreadsApi();

app.Run();
