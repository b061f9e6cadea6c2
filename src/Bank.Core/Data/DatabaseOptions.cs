using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bank.Core.Data;

/// <summary>
/// Which database, where, and whether to migrate at start (section <c>Database</c>, connection string <c>Bank</c>).
/// Read and checked before anything else is registered, because the provider decides the registrations.
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Database";

    /// <summary>The embedded default: a SQLite file under the content root's <c>data/</c>.</summary>
    public const string DefaultConnectionString = "Data Source=data/bank.db";

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, as configured (any case).</summary>
    [ConfigurationKeyName("Provider")]
    public string? ProviderName { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>The provider named by <see cref="ProviderName"/> (a name the configuration binder does not look for).</summary>
    public DatabaseProvider Kind => EnumText.TryParse<DatabaseProvider>(ProviderName, out var provider)
        ? provider
        : throw new InvalidOperationException($"Database:Provider '{ProviderName}' is not valid; the options were not validated.");

    /// <summary><c>ConnectionStrings:Bank</c>.</summary>
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>Apply migrations at start (the embedded default); turn off in production and run <c>migrate</c> once per release.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Reads and checks the database settings; throws <see cref="OptionsValidationException"/> naming every mistake.</summary>
    public static DatabaseOptions Read(IConfiguration configuration)
    {
        var options = new DatabaseOptions();
        configuration.GetSection(Section).Bind(options);
        options.ConnectionString = configuration.GetConnectionString("Bank") ?? DefaultConnectionString;
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(Section, typeof(DatabaseOptions), problems.Select(p => p.ErrorMessage ?? "Invalid."));
        }

        return options;
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!EnumText.TryParse<DatabaseProvider>(ProviderName, out _))
        {
            yield return new ValidationResult(
                $"Database:Provider must be one of {EnumText.Choices<DatabaseProvider>()}, not '{ProviderName}'.", [nameof(ProviderName)]);
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("ConnectionStrings:Bank must name the database.", [nameof(ConnectionString)]);
        }
    }
}
