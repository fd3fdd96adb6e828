using Npgsql;

var builder = WebApplication.CreateBuilder(args);
builder.AddNpgsqlDataSource("appdb");

var app = builder.Build();

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

// Healthy once the service can read its table: the AppHost's health check reads this status code.
app.MapGet("/health", async (NpgsqlDataSource db) =>
{
    try
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM shop.products");
        await command.ExecuteScalarAsync();
        return Results.Text("Healthy");
    }
    catch (NpgsqlException ex)
    {
        return Results.Text($"Unhealthy: {ex.Message}", statusCode: 503);
    }
});

app.Run();
