using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Bank.Core.Data;

/// <summary>
/// A query on a hot path (every request's session, a balance, a movement's accounts), compiled once per EF model instead
/// of translated from LINQ on every call. EF binds a compiled query to the model it first ran against; a process has one
/// model per database provider (the tests run both), so each model gets its own compilation.
/// </summary>
internal sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(BankDbContext db) =>
        _byModel.TryGetValue(db.Model, out var query) ? query : _byModel.GetValue(db.Model, _ => compile());
}
