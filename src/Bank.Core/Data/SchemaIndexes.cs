using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Bank.Core.Data;

/// <summary>
/// The model's indexes as the database holds them. A bulk load into empty tables drops their secondary indexes and
/// builds them once at the end (as a restore does: one sorted build instead of millions of random inserts); the build
/// comes from the model through the migrations' own SQL generator, so it makes exactly the index a migration makes, and
/// it runs whenever the bank migrates too (at start, <c>migrate</c>, <c>demo-data</c>), so a load stopped half-way leaves no
/// index missing for longer than that.
/// </summary>
public static class SchemaIndexes
{
    /// <summary>
    /// Drops the indexes of each of <paramref name="tables"/> that holds no row yet, but for primary keys and unique
    /// indexes (rules, not speed); returns the names dropped. Runs in the context's current transaction, if any.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DropSecondaryOfEmptyAsync(BankDbContext db, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var present = await PresentAsync(db, ct);
        var dropped = new List<string>();
        foreach (var table in Tables(db).Where(t => tables.Contains(t.Name)))
        {
            // Table and index names come from the model, never from input.
            var anyRow = $"SELECT 1 AS \"Value\" FROM \"{table.Name}\" LIMIT 1";
            if (await db.Database.SqlQueryRaw<int>(anyRow).AnyAsync(ct))
            {
                continue;
            }

            foreach (var index in table.Indexes.Where(i => !i.IsUnique && present.Contains(i.Name)))
            {
                var drop = $"DROP INDEX \"{index.Name}\"";
                await db.Database.ExecuteSqlRawAsync(drop, ct);
                dropped.Add(index.Name);
            }
        }

        return dropped;
    }

    /// <summary>Builds every index of the model that the database lacks, as its migration would; returns the names built.</summary>
    public static async Task<IReadOnlyList<string>> CreateMissingAsync(BankDbContext db, CancellationToken ct)
    {
        var present = await PresentAsync(db, ct);
        var missing = Tables(db).SelectMany(t => t.Indexes).Where(i => !present.Contains(i.Name)).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        var operations = missing.Select(index =>
        {
            var operation = new CreateIndexOperation
            {
                Name = index.Name,
                Table = index.Table.Name,
                Schema = index.Table.Schema,
                Columns = index.Columns.Select(c => c.Name).ToArray(),
                IsUnique = index.IsUnique,
                IsDescending = index.IsDescending?.ToArray(),
                Filter = index.Filter,
            };
            operation.AddAnnotations(index.GetAnnotations());
            return (MigrationOperation)operation;
        }).ToList();

        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(operations, DesignModel(db)))
        {
            await db.Database.ExecuteSqlRawAsync(command.CommandText, ct);
        }

        return missing.Select(i => i.Name).ToList();
    }

    /// <summary>The names of the indexes the database holds (all tables of the bank's schema).</summary>
    public static async Task<HashSet<string>> PresentAsync(BankDbContext db, CancellationToken ct)
    {
        var names = await db.Database.SqlQueryRaw<string>(db.Provider == DatabaseProvider.Sqlite
            ? "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index'"
            : "SELECT indexname AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema()").ToListAsync(ct);
        return names.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The tables of the model with their indexes (the design-time model: it carries every index annotation).</summary>
    private static IEnumerable<ITable> Tables(BankDbContext db) => DesignModel(db).GetRelationalModel().Tables;

    private static IModel DesignModel(BankDbContext db) => db.GetService<IDesignTimeModel>().Model;
}
