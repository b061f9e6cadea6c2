using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Charts;
using Bank.Core.Data;
using Bank.Core.Demo;
using Bank.Core.Jobs;
using Bank.Core.Notifications;
using Bank.Core.Reports;
using Bank.Core.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bank.Core;

/// <summary>The one registration of Bank.Core: options (checked at start), the configured database, and every service.</summary>
public static class CoreServices
{
    /// <summary>
    /// Registers Bank.Core as the host and the tests use it. A <see cref="TimeProvider"/> or <see cref="IBalanceUpdates"/>
    /// registered before this call is kept (the web host's SignalR updates, a test's clock).
    /// </summary>
    public static IServiceCollection AddBankCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BankOptions>().Bind(configuration.GetSection(BankOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddBankDatabase(DatabaseOptions.Read(configuration));

        // Short-lived figures (the staff dashboard): in memory; with Redis (several instances), in Redis only (DashboardCache).
        services.AddHybridCache();
        services.AddSingleton<DashboardCache>();
        if (BankRedis.ConnectionStringOf(configuration) is { } redis)
        {
            services.AddSingleton(_ => new BankRedis(redis));
            services.AddStackExchangeRedisCache(o =>
            {
                o.Configuration = redis;
                o.InstanceName = BankRedis.Prefix + "cache:";
            });
        }

        services.TryAddSingleton(TimeProvider.System);
        // The bank's meter (a host has the meter factory already; a test's plain container gets it here).
        services.AddMetrics();
        services.AddSingleton<BankMetrics>();
        services.TryAddSingleton<IBalanceUpdates, NoBalanceUpdates>();
        services.AddSingleton<Passwords>();

        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditLog>();
        services.AddScoped<SessionService>();
        services.AddScoped<Lockout>();
        services.AddScoped<SignInService>();
        services.AddScoped<PasswordService>();
        services.AddScoped<LoginHistory>();
        services.AddScoped<TwoFactorService>();
        // Keys in the database: antiforgery tokens made by one instance are accepted by all, and survive restarts; they
        // also protect the second factors' secrets at rest.
        // With DataProtection:CertificatePath, encrypted there with a certificate (and readable with the previous ones).
        var keyProtection = KeyProtectionOptions.Read(configuration);
        keyProtection.Apply(services.AddDataProtection().SetApplicationName("Bank").PersistKeysToDbContext<BankDbContext>());
        services.AddSingleton(Options.Create(keyProtection));

        services.AddScoped<UserDirectory>();
        services.AddScoped<UserEnrolment>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<Bootstrapper>();

        services.AddScoped<AccountService>();
        services.AddScoped<LedgerService>();
        services.AddScoped<TransferReviews>();
        services.AddScoped<Statements>();
        services.AddScoped<LedgerVerifier>();

        services.AddSingleton<BankCalendar>();
        services.AddScoped<Dashboards>();
        services.AddScoped<AccountHistories>();
        services.AddScoped<MonthlyLogins>();
        services.AddSingleton<ChartRenderer>();
        services.AddScoped<DemoData>();

        // Mail: written to the outbox with the event, sent in the background over SMTP or into the pickup folder.
        services.AddSingleton<Instance>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpMailSender>(sp)
            : ActivatorUtilities.CreateInstance<PickupFolderSender>(sp));
        services.AddScoped<Outbox>();
        services.AddScoped<MailComposer>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<MonthlyReports>();
        services.AddScoped<OutgoingMail>();
        services.AddHostedService<OutboxWorker>();
        services.AddHostedService<MonthlyReportJob>();

        // Housekeeping: ended sessions, old Idempotency-Keys and sent mail go; repeated denials are summed up.
        services.AddSingleton<DenialAudit>();
        services.AddScoped<Retention>();
        services.AddHostedService<RetentionJob>();
        return services;
    }
}
