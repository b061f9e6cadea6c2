using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bank.Core;

/// <summary>Registers the services of Bank.Core (the database is registered by <see cref="Data.DatabaseSetup"/>).</summary>
public static class CoreServices
{
    public static IServiceCollection AddBankCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Passwords>();
        services.AddSingleton<AuditTrail>();
        services.AddScoped<SessionService>();
        services.AddScoped<SignInService>();
        services.AddScoped<PasswordService>();
        services.AddScoped<LoginHistory>();
        services.AddScoped<UserService>();
        services.AddScoped<Bootstrapper>();
        services.TryAddSingleton<IBalanceUpdates, NoBalanceUpdates>();
        services.AddScoped<LedgerService>();
        services.AddScoped<AccountService>();
        services.AddScoped<LedgerVerifier>();
        return services;
    }
}
