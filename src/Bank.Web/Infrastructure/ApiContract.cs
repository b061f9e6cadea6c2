using System.Text;
using System.Text.Json;
using Bank.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Bank.Web.Infrastructure;

/// <summary>Failures an endpoint can give besides those its authorization and its input bring (rows of <see cref="FailureTypes"/>).</summary>
public sealed record FailuresMetadata(IReadOnlyList<FailureType> Types);

/// <summary>A success (200) that is a file of <paramref name="ContentType"/> (a CSV, a PNG), instead of or besides JSON.</summary>
public sealed record FileResponseMetadata(string ContentType, string Description);

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) as a contract clients generate from. One mechanism reads each endpoint's
/// metadata: its authorization gives the security requirement, 401 and 403; its parameters and body give 400 (and 415);
/// its rate limit 429; what it declares with <see cref="Fails{TBuilder}"/> the rest. Every problem response is a row of
/// <see cref="FailureTypes"/> mapped by <see cref="Problems.StatusOf"/>, as the real answers are, and references one
/// problem-details schema.
/// </summary>
public static class ApiContract
{
    /// <summary>The document's name (<c>/openapi/v1.json</c>).</summary>
    public const string DocumentName = "v1";

    /// <summary>The security scheme of <c>Authorization: Bearer &lt;accessToken&gt;</c>.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>The security scheme of the browser's session cookie.</summary>
    public const string CookieScheme = "sessionCookie";

    /// <summary>The one schema of every problem response.</summary>
    public const string ProblemSchema = "ProblemDetails";

    /// <summary>The content type of problem details (RFC 9457).</summary>
    public const string ProblemContentType = "application/problem+json";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Authentication"] = "Sign-in (bearer token or session cookie), sign-out, the signed-in user, own password and sign-in history.",
        ["Users"] = "Staff manage users: create, search, details, role and status, password reset, unlock, sign-in history.",
        ["Reference data"] = "Roles, user statuses, Indian states and union territories and their cities, for forms.",
        ["Accounts"] = "A customer's own account; administrators freeze, unfreeze and close accounts.",
        ["Ledger"] = "The check of the books (Super_Admin).",
        ["Transactions"] = "Deposits, withdrawals and transfers; statement lines, one transaction, CSV export.",
        ["Dashboards"] = "Each role's dashboard figures.",
        ["Reports"] = "The monthly sign-in report (Super_Admin), as JSON or CSV, and sending it by mail.",
        ["Charts"] = "The charts as PNG pictures.",
        ["Mail"] = "The outgoing mail and the retry of a failed mail (Super_Admin).",
        ["Audit"] = "The audit trail, read-only: who did what to whom, with filters, pages and CSV (Super_Admin; Admin for Employees and Customers).",
    };

    /// <summary>Adds the document and its transformers (called once by <see cref="WebServices.AddBankWeb"/>).</summary>
    public static IServiceCollection AddApiContract(this IServiceCollection services) => services.AddOpenApi(DocumentName, options =>
    {
        options.AddDocumentTransformer(DescribeDocument);
        options.AddOperationTransformer(DescribeOperationAsync);
    });

    /// <summary>Declares the failures (rows of <see cref="FailureTypes"/>) the endpoint's service can give, for the document.</summary>
    public static TBuilder Fails<TBuilder>(this TBuilder endpoint, params FailureType[] types)
        where TBuilder : IEndpointConventionBuilder => endpoint.WithMetadata(new FailuresMetadata(types));

    /// <summary>Declares that the endpoint's success (200) is a file of <paramref name="contentType"/>, for the document.</summary>
    public static TBuilder ReturnsFile<TBuilder>(this TBuilder endpoint, string contentType, string description)
        where TBuilder : IEndpointConventionBuilder => endpoint.WithMetadata(new FileResponseMetadata(contentType, description));

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Bank API";
        document.Info.Description = "The bank's REST API. Sign in with POST /api/v1/auth/login and send the access token as "
            + "`Authorization: Bearer <accessToken>` (or, in a browser, the session cookie with the antiforgery token in X-CSRF-TOKEN "
            + "on changes). Every refusal is RFC 9457 problem details whose `type` is https://bank.local/problems/<code>.";
        // Relative to where the document is served from, so the document is the same on every host and offline.
        document.Servers = [new OpenApiServer { Url = "/", Description = "This bank (the API is under /api/v1)." }];

        document.AddComponent(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken of POST /api/v1/auth/login, as `Authorization: Bearer <accessToken>`. Opaque; it ends at sign-out, "
                + "after the idle timeout or the absolute lifetime.",
        });
        document.AddComponent(CookieScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = SessionCookie.NameFor(context.ApplicationServices.GetRequiredService<IHostEnvironment>()),
            Description = "The session cookie set by POST /api/v1/auth/login?useCookies=true (browsers). Calls that change state also need "
                + "the antiforgery token of GET /api/v1/auth/antiforgery in the X-CSRF-TOKEN header.",
        });
        document.AddComponent(ProblemSchema, ProblemDetailsSchema());

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description = TagDescriptions.TryGetValue(tag.Name ?? "", out var description)
                ? description
                : throw new InvalidOperationException($"The API tag '{tag.Name}' has no description in ApiContract.");
        }

        return Task.CompletedTask;
    }

    /// <summary>RFC 9457 problem details as <see cref="Problems"/> writes them, with the bank's extension members.</summary>
    private static OpenApiSchema ProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `type` is https://bank.local/problems/<code> for the bank's refusals (a row of the failure "
            + "table); a framework refusal (an unknown route, a wrong method) has the RFC's own type.",
        Required = new HashSet<string> { "type", "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", Description = "The problem type: https://bank.local/problems/<code>." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the problem type." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong, for people." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", Description = "The occurrence." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Field errors (400): each field (JSON path, query parameter or header) with its messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace, for support." },
        },
    };

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "GET";
        var path = "/" + (description.RelativePath ?? "");
        operation.OperationId ??= OperationId(method, path);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            // [AsParameters] records name their query parameters after C# properties; binding ignores case and the contract is camelCase.
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name)
            {
                parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);
            }
        }

        var failures = new List<FailureType>();
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] },
            ];
            failures.Add(FailureTypes.Unauthenticated);
            var roles = await RolesAsync(metadata, context.ApplicationServices);
            operation.Description = Sentence(operation.Description, roles is null ? "Any signed-in user." : $"Roles: {string.Join(", ", roles)}.");
            if (roles is not null)
            {
                failures.Add(FailureTypes.Forbidden);
            }

            failures.AddRange(Middleware.GateRefusals(path));

            if (!HttpMethods.IsGet(method))
            {
                failures.Add(FailureTypes.Antiforgery);
            }
        }
        else
        {
            // Explicitly public: no credentials needed.
            operation.Security = [];
        }

        if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
        {
            failures.Add(FailureTypes.Validation);
        }

        if (operation.RequestBody is not null)
        {
            failures.Add(FailureTypes.BadRequest);
            failures.Add(FailureTypes.UnsupportedMediaType);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            failures.Add(FailureTypes.TooManySignInAttempts);
        }

        failures.AddRange(metadata.OfType<FailuresMetadata>().SelectMany(m => m.Types));
        operation.Responses ??= [];
        foreach (var byStatus in failures.Distinct().GroupBy(f => Problems.StatusOf(f.Kind)).OrderBy(g => g.Key))
        {
            operation.Responses[byStatus.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponse(byStatus.Key, byStatus, context.Document);
        }

        foreach (var file in metadata.OfType<FileResponseMetadata>())
        {
            var ok = operation.Responses.TryGetValue("200", out var existing) && existing is OpenApiResponse response
                ? response
                : (OpenApiResponse)(operation.Responses["200"] = new OpenApiResponse { Description = file.Description });
            ok.Content ??= new Dictionary<string, OpenApiMediaType>();
            ok.Content[file.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            ok.Description = ok.Content.Count > 1 ? $"{ok.Description}: JSON, or {char.ToLowerInvariant(file.Description[0])}{file.Description[1..]}" : file.Description;
        }
    }

    private static OpenApiResponse ProblemResponse(int status, IEnumerable<FailureType> types, OpenApiDocument? document)
    {
        var response = new OpenApiResponse
        {
            Description = "Problem details, type " + string.Join("; ", types.Select(t => $"`{t.Code}` ({t.Title.TrimEnd('.')})")) + ".",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before the next attempt.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
        }
        else if (status == StatusCodes.Status401Unauthorized)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = new OpenApiHeader { Description = "`Bearer` when no valid session came.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        return response;
    }

    /// <summary>The roles the endpoint's policies let in (all must pass), from the policies themselves; null when any signed-in user may.</summary>
    private static async Task<IReadOnlyList<string>?> RolesAsync(IList<object> metadata, IServiceProvider services)
    {
        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        IEnumerable<string>? roles = null;
        foreach (var name in metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct())
        {
            var policy = await policies.GetPolicyAsync(name) ?? throw new InvalidOperationException($"No authorization policy '{name}'.");
            foreach (var allowed in policy.Requirements.OfType<RolesAuthorizationRequirement>())
            {
                roles = roles is null ? allowed.AllowedRoles : roles.Intersect(allowed.AllowedRoles);
            }
        }

        return roles?.ToList();
    }

    /// <summary>A stable operationId from method and route: <c>POST /api/v1/users/{userId}/reset-password</c> is <c>postUsersByUserIdResetPassword</c>.</summary>
    public static string OperationId(string method, string route)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in route.Split('/', StringSplitOptions.RemoveEmptyEntries).SkipWhile(s => s is "api" or "v1"))
        {
            var parameter = segment.StartsWith('{');
            if (parameter)
            {
                id.Append("By");
            }

            foreach (var word in segment.Trim('{', '}').Split(':')[0].Split('-', '_'))
            {
                if (word.Length > 0)
                {
                    id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
                }
            }
        }

        return id.ToString();
    }

    private static string Sentence(string? text, string more) => string.IsNullOrWhiteSpace(text) ? more : $"{text} {more}";
}
