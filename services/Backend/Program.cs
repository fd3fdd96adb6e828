using DevLauncher.Backend.Apis;
using DevLauncher.ServiceDefaults;
using DevLauncher.ServiceDefaults.SchemaGate;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAppDataSource();
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
