using DevLauncher.Auth.Apis;
using DevLauncher.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
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
