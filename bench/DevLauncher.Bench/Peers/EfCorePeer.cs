using System.Reflection;
using System.Reflection.Emit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DevLauncher.Bench.Peers;

/// <summary>
/// EF Core 10's MigrateAsync (Npgsql provider) applying the very same SQL as EF migrations. EF wants one type per
/// migration, so the types are emitted at run time; each one's Up() is <c>migrationBuilder.Sql(...)</c> with the file.
/// </summary>
public sealed class EfCorePeer
{
    private readonly Dictionary<string, TypeInfo> _migrations = new(StringComparer.Ordinal);

    public EfCorePeer(IReadOnlyList<(string Name, string Sql)> migrations)
    {
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"BenchMigrations{Guid.NewGuid():N}"), AssemblyBuilderAccess.Run)
            .DefineDynamicModule("migrations");
        foreach (var (name, sql) in migrations)
        {
            var type = module.DefineType($"M_{name}", TypeAttributes.Public | TypeAttributes.Sealed, typeof(SqlMigration));
            type.DefineDefaultConstructor(MethodAttributes.Public);
            type.SetCustomAttribute(new CustomAttributeBuilder(typeof(MigrationAttribute).GetConstructor([typeof(string)])!, [name]));
            var typeInfo = type.CreateTypeInfo()!;
            SqlMigration.Scripts[typeInfo.Name] = sql;
            _migrations[name] = typeInfo;
        }
    }

    public async Task MigrateAsync(string connectionString)
    {
        await using var context = new BenchContext(new DbContextOptionsBuilder<BenchContext>()
            .UseNpgsql(connectionString)
            .ReplaceService<IMigrationsAssembly, Assembly>()
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .Options, this);
        await context.Database.MigrateAsync();
    }

    public sealed class BenchContext(DbContextOptions<BenchContext> options, EfCorePeer peer) : DbContext(options)
    {
        public EfCorePeer Peer => peer;
    }

    /// <summary>A migration whose Up() is the SQL of its file.</summary>
    public abstract class SqlMigration : Migration
    {
        public static System.Collections.Concurrent.ConcurrentDictionary<string, string> Scripts { get; } = new();

        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Scripts[GetType().Name]);
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
