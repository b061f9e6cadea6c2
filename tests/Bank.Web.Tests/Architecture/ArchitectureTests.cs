using System.Reflection;
using System.Xml.Linq;
using Bank.Core;
using Bank.Core.Data;
using Bank.Web.Infrastructure;

namespace Bank.Web.Tests.Architecture;

/// <summary>What docs/architecture.md promises about the code, checked on the built assemblies.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(CoreServices).Assembly;
    private static readonly Assembly Web = typeof(Program).Assembly;

    [Fact]
    public void Core_has_no_http_in_it()
    {
        // Core may use two parts of ASP.NET Core, neither of which speaks HTTP: Data Protection (keys kept in the database)
        // and Components (the mail templates, rendered to a string by HtmlRenderer).
        string[] allowed = ["Microsoft.AspNetCore.DataProtection", "Microsoft.AspNetCore.Components"];
        var aspNet = Core.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) && !allowed.Any(a => n.StartsWith(a, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(aspNet);
    }

    [Fact]
    public void Nothing_in_the_web_layer_takes_the_database_context()
    {
        // Endpoints, pages, hubs, middleware and commands call Core services; only the composition names the context (as a type argument).
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var offenders = Web.GetTypes().SelectMany(type =>
                type.GetConstructors(All).SelectMany(c => c.GetParameters()).Select(p => (type, p.ParameterType, $"constructor parameter {p.Name}"))
                    .Concat(type.GetMethods(All).SelectMany(m => m.GetParameters().Select(p => (type, p.ParameterType, $"{m.Name}({p.Name})"))))
                    .Concat(type.GetFields(All).Select(f => (type, f.FieldType, $"field {f.Name}")))
                    .Concat(type.GetProperties(All).Select(p => (type, p.PropertyType, $"property {p.Name}"))))
            .Where(x => typeof(BankDbContext).IsAssignableFrom(x.Item2))
            .Select(x => $"{x.type.FullName}: {x.Item3}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_public_type_in_src_has_an_xml_summary()
    {
        var missing = new[] { Core, Web }.SelectMany(assembly =>
        {
            var documented = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml")).Descendants("member")
                .Select(m => (string)m.Attribute("name")!)
                .ToHashSet(StringComparer.Ordinal);
            return assembly.GetExportedTypes()
                .Where(t => t.Namespace is { } ns && !ns.Contains(".Migrations", StringComparison.Ordinal) && ns.StartsWith("Bank.", StringComparison.Ordinal))
                .Where(t => !documented.Contains("T:" + t.FullName!.Replace('+', '.')))
                .Select(t => t.FullName!);
        }).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_failure_type_has_one_http_status_and_problem_type()
    {
        Assert.All(FailureTypes.All, type =>
        {
            var problem = Problems.ToProblem(type.Because("Because."));
            Assert.InRange(problem.Status!.Value, 400, 499);
            Assert.Equal(Problems.TypeBase + type.Code, problem.Type);
        });
        Assert.Equal(422, Problems.StatusOf(FailureTypes.InsufficientFunds.Kind));
        Assert.Equal(401, Problems.StatusOf(FailureTypes.InvalidCredentials.Kind));
    }
}
