using System.Reflection;
using System.Reflection.Emit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevLauncher.Bench.Peers;

/// <summary>A migration as the EF Core peer emits it: the SQL of its Up() and, where it has one, of its Down().</summary>
/// <param name="Transactional">False for a file whose statement PostgreSQL refuses inside a transaction (our no-transaction marker): EF's <c>suppressTransaction</c>.</param>
public sealed record EfMigration(string Name, string Up, string? Down = null, bool Transactional = true);

/// <summary>
/// EF Core 10's MigrateAsync (Npgsql provider) applying the very same SQL as EF migrations. EF wants one type per
/// migration, so the types are emitted at run time; each one's Up() is <c>migrationBuilder.Sql(...)</c> with the file,
/// and its Down() the SQL a developer would have written to take it back.
/// </summary>
public sealed class EfCorePeer
{
    private readonly Dictionary<string, TypeInfo> _migrations = new(StringComparer.Ordinal);
    private readonly (string Schema, string Table)? _historyTable;

    public EfCorePeer(IReadOnlyList<(string Name, string Sql)> migrations)
        : this([.. migrations.Select(m => new EfMigration(m.Name, m.Sql))])
    {
    }

    /// <param name="historyTable">Where EF keeps its history; null for its own <c>__EFMigrationsHistory</c>.</param>
    public EfCorePeer(IReadOnlyList<EfMigration> migrations, (string Schema, string Table)? historyTable = null)
    {
        _historyTable = historyTable;
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"BenchMigrations{Guid.NewGuid():N}"), AssemblyBuilderAccess.Run)
            .DefineDynamicModule("migrations");
        foreach (var migration in migrations)
        {
            var type = module.DefineType($"M_{migration.Name}", TypeAttributes.Public | TypeAttributes.Sealed, typeof(SqlMigration));
            type.DefineDefaultConstructor(MethodAttributes.Public);
            type.SetCustomAttribute(new CustomAttributeBuilder(typeof(MigrationAttribute).GetConstructor([typeof(string)])!, [migration.Name]));
            var typeInfo = type.CreateTypeInfo()!;
            SqlMigration.Definitions[typeInfo.AsType()] = migration;
            _migrations[migration.Name] = typeInfo;
        }
    }

    /// <param name="targetMigration">
    /// The migration to end at, as <c>dotnet ef database update &lt;target&gt;</c> (the Down() of every later one);
    /// null for the newest.
    /// </param>
    public async Task MigrateAsync(string connectionString, string? targetMigration = null)
    {
        await using var context = new BenchContext(new DbContextOptionsBuilder<BenchContext>()
            .UseNpgsql(connectionString, npgsql =>
            {
                if (_historyTable is { } history)
                {
                    npgsql.MigrationsHistoryTable(history.Table, history.Schema);
                }
            })
            .ReplaceService<IMigrationsAssembly, Assembly>()
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .Options, this);
        await context.Database.MigrateAsync(targetMigration);
    }

    public sealed class BenchContext(DbContextOptions<BenchContext> options, EfCorePeer peer) : DbContext(options)
    {
        public EfCorePeer Peer => peer;
    }

    /// <summary>A migration whose Up() and Down() are the SQL of its definition.</summary>
    public abstract class SqlMigration : Migration
    {
        /// <summary>By emitted type: a type per peer, so that peers with migrations of the same name never mix.</summary>
        public static System.Collections.Concurrent.ConcurrentDictionary<Type, EfMigration> Definitions { get; } = new();

        private EfMigration Definition => Definitions[GetType()];

        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Definition.Up, suppressTransaction: !Definition.Transactional);

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (Definition.Down is { } down)
            {
                migrationBuilder.Sql(down);
            }
        }
    }

    /// <summary>Hands EF the emitted migrations of the peer that owns the context.</summary>
    private sealed class Assembly(ICurrentDbContext currentContext) : IMigrationsAssembly
    {
        private EfCorePeer Peer => ((BenchContext)currentContext.Context).Peer;

        public IReadOnlyDictionary<string, TypeInfo> Migrations => Peer._migrations;

        public ModelSnapshot? ModelSnapshot => null;

        System.Reflection.Assembly IMigrationsAssembly.Assembly => typeof(EfCorePeer).Assembly;

        public string? FindMigrationId(string nameOrId) => Peer._migrations.Keys.FirstOrDefault(k => k == nameOrId);

        public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
        {
            var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
            migration.ActiveProvider = activeProvider;
            return migration;
        }
    }
}
