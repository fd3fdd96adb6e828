using System.Globalization;
using System.Text;
using DevLauncher.Contracts;

namespace DevLauncher.Bench.Infrastructure;

/// <summary>N small migrations, each a table, an index and a column change: the same SQL for every tool.</summary>
public static class GeneratedMigrations
{
    public static IReadOnlyList<(string Name, string Sql)> Create(int count) =>
        Enumerable.Range(1, count).Select(i => (
            Name: string.Create(CultureInfo.InvariantCulture, $"{SchemaVersion.Format(i)}_bench_table_{i}"),
            Sql: i == 1
                ? "CREATE SCHEMA bench;\n" + TableSql(i)
                : TableSql(i))).ToList();

    /// <param name="scratch">The run's scratch folder, deleted when the run ends.</param>
    public static string WriteFolder(string scratch, IReadOnlyList<(string Name, string Sql)> migrations)
    {
        var folder = Path.Combine(scratch, $"migrations-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var (name, sql) in migrations)
        {
            File.WriteAllText(Path.Combine(folder, name + ".sql"), sql, Encoding.UTF8);
        }

        return folder;
    }

    private static string TableSql(int i) => string.Create(CultureInfo.InvariantCulture, $"""
        CREATE TABLE bench.t{i} (id bigint PRIMARY KEY, v integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX t{i}_v_idx ON bench.t{i} (v);
        ALTER TABLE bench.t{i} ADD COLUMN note text;
        """);
}
