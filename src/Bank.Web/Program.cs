using Bank.Web.Api;
using Bank.Web.Commands;
using Bank.Web.Hubs;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
builder.Services.AddBankWeb(builder.Configuration);

var app = builder.Build();
if (await StartupTasks.RunCommandAsync(app, args) is { } exitCode)
{
    return exitCode;
}

await StartupTasks.PrepareAsync(app);

// API callers get problem details; people get the friendly error page. Neither sees a stack trace.
app.UseWhen(c => c.Request.IsApi(), api => api.UseExceptionHandler());
app.UseWhen(c => !c.Request.IsApi(), pages => pages.UseExceptionHandler("/Error"));
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseDenialAudit();
app.UsePasswordChangeGate();
app.UseApiAntiforgery();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();

var api = app.MapGroup("/api/v1");
api.MapAuthEndpoints();
api.MapUserEndpoints();
api.MapReferenceEndpoints();
api.MapAccountEndpoints();
api.MapTransactionEndpoints();
app.MapHub<BalanceHub>(BalanceHub.Path).RequireAuthorization(Policies.Customer);

app.MapRazorPages();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
