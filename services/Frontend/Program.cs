
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSchemaGate(FrontendExtensions.RequiredSchemaVersion);
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler("/Error");
app.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
app.UseSchemaGate();
app.MapStaticAssets();
app.MapDefaultEndpoints();
app.MapRazorPages().WithStaticAssets();

app.Run();
