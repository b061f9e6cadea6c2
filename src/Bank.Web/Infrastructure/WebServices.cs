using System.Globalization;
using System.Threading.RateLimiting;
using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Users;
using Bank.Web.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Infrastructure;

/// <summary>Composition of the web host: options, database, authentication, policies, limits, problems.</summary>
public static class WebServices
{
    public const string SignInLimit = "sign-in";

    public static IServiceCollection AddBankWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BankOptions>().Bind(configuration.GetSection(BankOptions.Section)).ValidateDataAnnotations()
            .Validate(o => TryZone(o.TimeZone), "Bank:TimeZone is not a known time zone.").ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.Section));

        var providerText = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
        {
            throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{providerText}'.");
        }

        var connectionString = configuration.GetConnectionString("Bank") ?? "Data Source=data/bank.db";
        services.AddBankDatabase(provider, connectionString);
        services.AddSingleton<IBalanceUpdates, HubBalanceUpdates>();
        services.AddBankCore();
        services.AddSignalR();
        // Keys in the database: antiforgery tokens made by one instance are accepted by all, and survive restarts.
        services.AddDataProtection().SetApplicationName("Bank").PersistKeysToDbContext<BankDbContext>();
        services.AddSingleton<Display>();

        services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.SuperAdminName, Roles.AdminName, Roles.EmployeeName))
            .AddPolicy(Policies.Administrators, p => p.RequireRole(Roles.SuperAdminName, Roles.AdminName))
            .AddPolicy(Policies.SuperAdmin, p => p.RequireRole(Roles.SuperAdminName))
            .AddPolicy(Policies.Customer, p => p.RequireRole(Roles.CustomerName));

        services.AddAntiforgery(o =>
        {
            o.HeaderName = "X-CSRF-TOKEN";
            o.Cookie.Name = "bank_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            // The antiforgery cookie holds no credential; "Always" would make the framework refuse plain-HTTP requests
            // outright (even http://localhost when trying the bank out). The session cookie is Secure outside Development.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInLimit, context =>
            {
                if (HttpMethods.IsGet(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("reads");
                }

                var limit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.SignInAttemptsPerMinutePerIp;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (context, token) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context.HttpContext, new Failure("too-many-sign-in-attempts",
                    $"Too many sign-in attempts from your address. Try again in {retryAfter} seconds."), StatusCodes.Status429TooManyRequests);
            };
        });

        services.AddProblemDetails();
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
            o.ExcludedHosts.Clear();
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.AllowTrailingCommas = false);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddOpenApi();
        services.AddRazorPages(o =>
        {
            o.Conventions.AllowAnonymousToPage("/Account/SignIn");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AuthorizeFolder("/Users", Policies.Staff);
            o.Conventions.AuthorizePage("/Users/Create", Policies.Administrators);
            o.Conventions.AuthorizeFolder("/MyAccount", Policies.Customer);
        });
        return services;
    }

    private static bool TryZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
    }
}

/// <summary>Authorization policy names, by who may pass.</summary>
public static class Policies
{
    public const string Staff = "Staff";
    public const string Administrators = "Administrators";
    public const string SuperAdmin = "SuperAdmin";
    public const string Customer = "Customer";
}

/// <summary>Readiness: the database answers a query.</summary>
public sealed class DatabaseHealthCheck(BankDbContext db) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken) && await db.Counters.AnyAsync(cancellationToken)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The database is not reachable or not migrated.");
}
