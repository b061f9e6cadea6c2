using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Users;
using Bank.Web.Hubs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RedisChannel = StackExchange.Redis.RedisChannel;
using RedisException = StackExchange.Redis.RedisException;

namespace Bank.Web.Infrastructure;

/// <summary>Composition of the web host: Bank.Core, authentication, policies, limits, JSON, problems, pages.</summary>
public static class WebServices
{
    /// <summary>The rate-limit policy of sign-in.</summary>
    public const string SignInLimit = "sign-in";

    /// <summary>Registers everything the web host needs.</summary>
    public static IServiceCollection AddBankWeb(this IServiceCollection services, IConfiguration configuration)
    {
        // Registered before Bank.Core, which keeps it: balance updates go to the customers' open pages.
        services.AddSingleton<IBalanceUpdates, HubBalanceUpdates>();
        services.AddBankCore(configuration);
        services.AddClientNetwork(configuration);
        services.AddBankTelemetry(configuration);
        services.AddHttpContextAccessor();
        // The signed-in user, for handlers and pages that ask for it (authorization has run by then).
        services.AddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.ToActor()
            ?? throw new InvalidOperationException("The signed-in user is asked for outside a request."));
        var signalR = services.AddSignalR().AddJsonProtocol(o => BankJson.Configure(o.PayloadSerializerOptions));
        var redisConnection = BankRedis.ConnectionStringOf(configuration);
        if (redisConnection is not null)
        {
            // Several instances: a message to a customer's group reaches their pages on whichever instance they are connected to.
            signalR.AddStackExchangeRedis(redisConnection, o => o.Configuration.ChannelPrefix = RedisChannel.Literal(BankRedis.Prefix + "signalr"));
        }

        services.AddSingleton<LiveConnections>();
        services.AddSingleton<ISessionEndListener>(sp => sp.GetRequiredService<LiveConnections>());
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<LiveConnectionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveConnectionSweeper>());
        services.AddSingleton<Display>();

        services.AddSingleton<IAuthorizationMiddlewareResultHandler, UnknownPathAuthorization>();
        services.AddResponseCompression(o =>
        {
            // Only what carries no secret of the user is compressed (Delivery.Compressible), so HTTPS is safe from BREACH.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "image/svg+xml"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.RequireRole(Names(Role.SuperAdmin, Role.Admin, Role.Employee)))
            .AddPolicy(Policies.Administrators, p => p.RequireRole(Names(Role.SuperAdmin, Role.Admin)))
            .AddPolicy(Policies.SuperAdmin, p => p.RequireRole(Names(Role.SuperAdmin)))
            .AddPolicy(Policies.Customer, p => p.RequireRole(Names(Role.Customer)));

        services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");
        services.AddOptions<AntiforgeryOptions>().Configure<IHostEnvironment>((o, environment) =>
        {
            var development = environment.IsDevelopment();
            o.Cookie = new AntiforgeryCookie(secure: !development)
            {
                Name = development ? SessionCookie.DevelopmentAntiforgeryName : SessionCookie.AntiforgeryName,
                SameSite = SameSiteMode.Strict,
                HttpOnly = true,
                IsEssential = true,
                Path = "/",
                // "Always" would make the framework refuse every form over plain HTTP, even on http://localhost where
                // browsers do keep Secure cookies; the cookie itself is Secure anyway outside Development (AntiforgeryCookie).
                SecurePolicy = CookieSecurePolicy.SameAsRequest,
            };
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, SignInLimitPolicy>(SignInLimit);
            o.OnRejected = async (context, token) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                if (StatusPages.ForPeople(context.HttpContext.Request))
                {
                    // A page's form: the status pages middleware shows "Too many attempts" with the wait, inside the layout.
                    return;
                }

                await Problems.WriteAsync(context.HttpContext, FailureTypes.TooManySignInAttempts.Because(
                    $"Too many sign-in attempts from your address. Try again in {retryAfter} seconds."));
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
        services.ConfigureHttpJsonOptions(o => BankJson.Configure(o.SerializerOptions));
        var health = services.AddHealthChecks()
            .AddCheck<StoppingHealthCheck>("stopping", tags: ["ready"])
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        if (redisConnection is not null)
        {
            health.AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        }

        services.AddGracefulShutdown(configuration);
        services.AddApiContract();
        services.AddRazorPages(o =>
        {
            o.Conventions.AllowAnonymousToPage("/Account/SignIn");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToPage("/Status");
            o.Conventions.AuthorizeFolder("/Users", Policies.Staff);
            o.Conventions.AuthorizePage("/Users/Create", Policies.Administrators);
            o.Conventions.AuthorizeFolder("/MyAccount", Policies.Customer);
            o.Conventions.AuthorizeFolder("/Reports", Policies.SuperAdmin);
            o.Conventions.AuthorizeFolder("/Mail", Policies.SuperAdmin);
            o.Conventions.AuthorizeFolder("/Audit", Policies.Administrators);
        });
        return services;
    }

    private static string[] Names(params Role[] roles) => roles.Select(r => r.Name()).ToArray();
}

/// <summary>The API's JSON: enums as their wire names (<see cref="EnumText"/>), strict about trailing commas.</summary>
public static class BankJson
{
    /// <summary>
    /// Applies the bank's JSON rules (used by the API and by SignalR): strict, so that a body means one thing. A member
    /// given twice (<c>"amount":1,"amount":2</c>) or a member the request does not have is refused, not guessed at.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.AllowTrailingCommas = false;
        options.AllowDuplicateProperties = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter());
    }
}

/// <summary>The antiforgery cookie, Secure outside Development whatever the request's scheme (as its <c>__Host-</c> name needs).</summary>
public sealed class AntiforgeryCookie(bool secure) : CookieBuilder
{
    /// <inheritdoc/>
    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure |= secure;
        return options;
    }
}

/// <summary>Authorization policy names, by who may pass.</summary>
public static class Policies
{
    /// <summary>Super_Admin, Admin, Employee.</summary>
    public const string Staff = "Staff";

    /// <summary>Super_Admin, Admin.</summary>
    public const string Administrators = "Administrators";

    /// <summary>Super_Admin only.</summary>
    public const string SuperAdmin = "SuperAdmin";

    /// <summary>Customers only.</summary>
    public const string Customer = "Customer";
}

/// <summary>Readiness: the database answers and is migrated.</summary>
public sealed class DatabaseHealthCheck(BankDatabase database) : IHealthCheck
{
    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await database.IsReadyAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database is not reachable or not migrated.");
}

/// <summary>Readiness with several instances: Redis answers (the live balance, the sign-in limit and the cache need it).</summary>
public sealed class RedisHealthCheck(BankRedis redis) : IHealthCheck
{
    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is not reachable.");
        }

        try
        {
            var database = await redis.DatabaseAsync();
            await database.PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis is not reachable.");
        }
    }
}

/// <summary>
/// The sign-in limit (<see cref="WebServices.SignInLimit"/>): <c>Security:SignInAttemptsPerMinutePerIp</c> attempts a minute
/// per client network (an IPv4 address, an IPv6 /64, as a known proxy forwarded it; <see cref="ClientNetwork"/>); reads
/// are not limited. With several instances (Redis) the attempts of an address are counted in Redis, the total across
/// instances. Its refusal is the limiter's one answer (<c>OnRejected</c> in <see cref="WebServices"/>).
/// </summary>
public sealed class SignInLimitPolicy(
    IOptions<SecurityOptions> options, TimeProvider clock, ILogger<SharedWindowLimiter> log, BankRedis? redis = null) : IRateLimiterPolicy<string>
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    /// <inheritdoc/>
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        if (HttpMethods.IsGet(httpContext.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("reads");
        }

        var limit = options.Value.SignInAttemptsPerMinutePerIp;
        var partition = ClientNetwork.PartitionKey(httpContext);
        return redis is not null
            ? RateLimitPartition.Get(partition, key => new SharedWindowLimiter(redis, key, limit, Window, clock, log))
            : RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = Window,
                QueueLimit = 0,
            });
    }
}
