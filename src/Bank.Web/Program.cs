using Bank.Web.Api;
using Bank.Web.Commands;
using Bank.Web.Hubs;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

try
{
    // Without a command (or with ASP.NET Core's own arguments only) the bank runs its server; a command is the command
    // line's, on a bank composed from appsettings.json and the environment.
    return BankCommandLine.StartsTheServer(args) ? await ServeAsync(args) : await BankCommandLine.RunAsync(args, () => Build([]));
}
catch (Exception ex) when (InvalidSettings(ex) is { Count: > 0 } failures)
{
    // A setting that breaks its rule stops the start with the rule, not with a stack trace.
    await Console.Error.WriteLineAsync("The bank cannot start; fix these settings (appsettings.json or environment variables):");
    foreach (var failure in failures)
    {
        await Console.Error.WriteLineAsync("  " + failure);
    }

    return 1;
}

static List<string> InvalidSettings(Exception ex) => ex switch
{
    OptionsValidationException invalid => [.. invalid.Failures],
    AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
        [.. all.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
    _ => [],
};

static async Task<int> ServeAsync(string[] args)
{
    var app = Build(args);
    if (!await StartupTasks.PrepareAsync(app))
    {
        return 1;
    }

    Shutdown.LogDrain(app);
    await app.RunAsync();
    return 0;
}

// The bank composed with the host's arguments (none for a command).
static WebApplication Build(string[] args)
{
    // The settings are read once, at start (a change takes a restart, as on every instance of a bank). Reloading them on
    // change would watch the content root and everything under it, data/ included: every write to the database file and
    // its WAL woke a watcher thread (half the system time of a demo-data load). Given first, so an operator's own
    // --hostBuilder:reloadConfigOnChange=true still wins.
    var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
    builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
    builder.Services.AddBankWeb(builder.Configuration);

    var app = builder.Build();
    // Every setting is checked before anything runs, commands included.
    app.Services.GetService<IStartupValidator>()?.Validate();
    // The whole app is composed before a command runs: `openapi` describes its routes.
    Compose(app);
    return app;
}

// The middleware in the order requests pass it, then the endpoints.
static void Compose(WebApplication app)
{
    // First: behind a known proxy (ForwardedHeaders:*), the client's address and scheme are the ones it forwarded, for
    // everything after (login history, audit, the sign-in limit, HSTS and Secure cookies on HTTPS); anyone else's are ignored.
    app.UseForwardedHeaders();
    // API callers get problem details; people get the friendly error page. Neither sees a stack trace.
    app.UseWhen(c => c.Request.IsApi(), api => api.UseExceptionHandler());
    app.UseWhen(c => !c.Request.IsApi(), pages => pages.UseExceptionHandler("/Error"));
    // An error status without a body: problem details for machines, a page inside the layout (status kept) for people.
    app.UseWhen(c => !StatusPages.ForPeople(c.Request), machines => machines.UseStatusCodePages());
    app.UseWhen(c => StatusPages.ForPeople(c.Request), people => people.UseStatusCodePagesWithReExecute(StatusPages.Path + "/{0}"));
    if (!app.Environment.IsDevelopment())
    {
        app.UseHsts();
    }

    app.UseSecurityHeaders();
    app.UseRefusalCounting();
    app.UseBankStaticFiles();
    app.UseRouting();
    app.UseRateLimiter();
    app.UseHubOriginCheck();
    app.UseAuthentication();
    app.UseDenialAudit();
    app.UseSignInGate();
    app.UseApiAntiforgery();
    app.UseAuthorization();
    app.UseAntiforgery();

    app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
    app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
    app.MapOpenApi().AllowAnonymous();
    app.MapBankMetrics();
    // Scalar's default fonts come from its CDN, which the CSP (font-src 'self') refuses: the page uses the system's fonts.
    app.MapScalarApiReference(o => o.DisableDefaultFonts()).AllowAnonymous();

    var api = app.MapGroup("/api/v1").CountsRefusals();
    api.MapAuthEndpoints();
    api.MapUserEndpoints();
    api.MapReferenceEndpoints();
    api.MapAccountEndpoints();
    api.MapTransactionEndpoints();
    api.MapReportEndpoints();
    api.MapChartEndpoints();
    api.MapMailEndpoints();
    api.MapAuditEndpoints();
    app.MapHub<BalanceHub>(BalanceHub.Path).RequireAuthorization(Policies.Customer);

    app.MapRazorPages();
    // Where the host would put it at start anyway; called here, it also makes the routes known to the OpenAPI document now.
    app.UseEndpoints(_ => { });
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
