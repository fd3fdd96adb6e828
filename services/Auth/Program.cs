using DevLauncher.Auth.Apis;
using DevLauncher.ServiceDefaults;
using DevLauncher.ServiceDefaults.SchemaGate;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAppDataSource();
builder.AddSchemaGate(AuthExtensions.RequiredSchemaVersion);
builder.AddApiDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiDefaults();
app.UseSchemaGate();
app.MapDefaultEndpoints();
app.MapUsersApi();
app.MapSessionsApi();

app.Run();
