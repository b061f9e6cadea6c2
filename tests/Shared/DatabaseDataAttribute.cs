using System.Reflection;
using Bank.Core.Data;
using Xunit.Sdk;
using Xunit.v3;

[assembly: Bank.Testing.EndDatabaseFixturesWithTheirTest]

namespace Bank.Testing;

/// <summary>Something a database theory is handed: made fresh for each row on that row's database, disposed by xunit after the test.</summary>
public interface IDatabaseFixture<TSelf> : IAsyncDisposable
    where TSelf : IDatabaseFixture<TSelf>
{
    /// <summary>A new one on <paramref name="provider"/>, with the test's <see cref="SettingAttribute"/>s as configuration.</summary>
    static abstract Task<TSelf> CreateAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?> settings);
}

/// <summary>
/// A configuration setting for the fixtures a database theory is handed (on the test method, or its class for all of
/// them). It reaches only <see cref="IDatabaseFixture{TSelf}"/> parameters, such as the Core tests' <c>TestBank</c>; the web
/// tests' <c>BankApp</c> is a class fixture shared by the tests of its class and takes its settings in its constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class SettingAttribute(string key, string value) : Attribute
{
    /// <summary>The configuration key, for example <c>Dashboard:CacheSeconds</c>.</summary>
    public string Key { get; } = key;

    /// <summary>Its value.</summary>
    public string Value { get; } = value;
}

/// <summary>
/// Runs a theory once on SQLite and once on PostgreSQL (bitwarden's <c>DatabaseData</c> idea, for xunit v3). The test's
/// leading parameters are filled by type: <see cref="DatabaseProvider"/> with the row's database, an
/// <see cref="IDatabaseFixture{TSelf}"/> (such as the Core tests' <c>TestBank</c>, the bank composed by its own
/// registration) with a fresh one on it; the remaining parameters take the attribute's data, or each row of
/// <see cref="MemberName"/>. Both databases always run: a missing PostgreSQL fails loudly, it is never skipped.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class DatabaseDataAttribute(params object?[] data) : DataAttribute
{
    private static readonly DatabaseProvider[] Providers = [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    private static readonly MethodInfo CreateFixture = typeof(DatabaseDataAttribute).GetMethod(nameof(CreateFixtureAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>A static member of the test class (property, field or method) with the data rows to run on each database.</summary>
    public string? MemberName { get; set; }

    /// <inheritdoc/>
    public override async ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        var dataRows = MemberName is null ? [data] : MemberRows(testMethod.DeclaringType!, MemberName);
        var settings = new Dictionary<string, string?>();
        foreach (var setting in testMethod.DeclaringType!.GetCustomAttributes<SettingAttribute>().Concat(testMethod.GetCustomAttributes<SettingAttribute>()))
        {
            // The method's settings come last, so they win over its class's.
            settings[setting.Key] = setting.Value;
        }

        var parameters = testMethod.GetParameters();
        var rows = new List<ITheoryDataRow>();
        foreach (var provider in Providers)
        {
            foreach (var dataRow in dataRows)
            {
                var leading = parameters.Length - dataRow.Length;
                var arguments = new object?[parameters.Length];
                for (var i = 0; i < leading; i++)
                {
                    arguments[i] = await ArgumentAsync(parameters[i], provider, settings);
                    if (arguments[i] is IAsyncDisposable fixture)
                    {
                        // xunit disposes test arguments after the test; the tracker also covers a row whose next argument failed to start.
                        disposalTracker.Add(fixture);
                    }
                }

                Array.Copy(dataRow, 0, arguments, leading, dataRow.Length);
                rows.Add(new TheoryDataRow(arguments));
            }
        }

        return rows;
    }

    /// <summary>
    /// No row is listed at discovery (a theory is one test until it runs): rows with a fixture cannot be serialized, and
    /// the rows of plain data are made with them, all when the theory runs.
    /// </summary>
    public override bool SupportsDiscoveryEnumeration() => false;

    private static async Task<object?> ArgumentAsync(ParameterInfo parameter, DatabaseProvider provider, IReadOnlyDictionary<string, string?> settings)
    {
        var type = parameter.ParameterType;
        if (type == typeof(DatabaseProvider))
        {
            return provider;
        }

        if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDatabaseFixture<>)))
        {
            return await (Task<object>)CreateFixture.MakeGenericMethod(type).Invoke(null, [provider, settings])!;
        }

        throw new InvalidOperationException(
            $"[DatabaseData] cannot fill parameter '{parameter.Name}' of type {type.Name}: give it as data, or make it an IDatabaseFixture.");
    }

    private static async Task<object> CreateFixtureAsync<TFixture>(DatabaseProvider provider, IReadOnlyDictionary<string, string?> settings)
        where TFixture : IDatabaseFixture<TFixture> => await TFixture.CreateAsync(provider, settings);

    private static List<object?[]> MemberRows(Type testClass, string memberName)
    {
        const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        var value = testClass.GetProperty(memberName, Static)?.GetValue(null)
            ?? testClass.GetField(memberName, Static)?.GetValue(null)
            ?? testClass.GetMethod(memberName, Static, Type.EmptyTypes)?.Invoke(null, null)
            ?? throw new InvalidOperationException($"{testClass.Name} has no static member '{memberName}' with data.");
        return ((System.Collections.IEnumerable)value).Cast<object>().Select(row => row switch
        {
            object?[] array => array,
            ITheoryDataRow theoryRow => theoryRow.GetData(),
            _ => throw new InvalidOperationException($"'{memberName}' yields {row.GetType().Name}, not rows of data."),
        }).ToList();
    }
}

/// <summary>
/// Disposes a test's <see cref="IDatabaseFixture{TSelf}"/> arguments as soon as the test ends; xunit itself disposes
/// arguments only when the whole class is done, which would keep every database of a class (and its connections) open.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class EndDatabaseFixturesWithTheirTestAttribute : BeforeAfterTestAttribute
{
    /// <inheritdoc/>
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        foreach (var fixture in test.TestMethodArguments.OfType<IAsyncDisposable>())
        {
            fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
