using System.ComponentModel;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Spectre.Console.Cli;

namespace Bank.Web.Commands;

/// <summary>What <c>openapi</c> takes: where to write the document, if anywhere.</summary>
public sealed class OpenApiSettings : CommandSettings
{
    /// <summary>The file to write, or null for standard output.</summary>
    [CommandArgument(0, "[file]")]
    [Description("The file to write, such as openapi.json; without one, standard output.")]
    public string? File { get; init; }
}

/// <summary>
/// <c>openapi [file]</c>: writes the OpenAPI document (as <c>/openapi/v1.json</c> serves it) to the file, or to standard
/// output; no server and no database needed, so CI lints the contract before anything runs.
/// </summary>
public sealed class OpenApiCommand(CommandHost host) : BankCommand<OpenApiSettings>(host)
{
    /// <inheritdoc/>
    protected override async Task<int> RunAsync(IServiceProvider services, OpenApiSettings settings, CancellationToken ct)
    {
        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiContract.DocumentName).GetOpenApiDocumentAsync(ct);
        var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, ct);
        if (settings.File is null)
        {
            Console.WriteLine(json);
            return 0;
        }

        // A relative path is relative to the working directory (which `dotnet run --project` sets to the project's folder).
        var file = Path.GetFullPath(settings.File);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, json + "\n", ct);
        await Console.Error.WriteLineAsync($"The OpenAPI document is written to {file}.");
        return 0;
    }
}
