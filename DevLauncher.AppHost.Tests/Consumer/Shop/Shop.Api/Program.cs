using DevLauncher.SchemaGate;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);
builder.AddSchemaGate(requiredVersion: 2);

var app = builder.Build();
app.UseSchemaGate();
app.MapHealthChecks("/health", new() { ResponseWriter = SchemaGateHealth.WriteResponseAsync });

app.MapGet("/products", async (NpgsqlDataSource db) =>
{
    await using var command = db.CreateCommand("SELECT name FROM shop.products ORDER BY id");
    await using var reader = await command.ExecuteReaderAsync();
    var names = new List<string>();
    while (await reader.ReadAsync())
    {
        names.Add(reader.GetString(0));
    }

    return names;
});

app.Run();
