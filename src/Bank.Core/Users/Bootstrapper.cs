using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Users;

/// <summary>Settings of the first Super_Admin (section <c>Bootstrap:SuperAdmin</c>).</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap:SuperAdmin";

    /// <summary>The initial password; random (and printed once) when unset.</summary>
    public string? Password { get; set; }

    public string Email { get; set; } = "superadmin@bank.local";
}

/// <summary>The first Super_Admin, created only when the database has no users.</summary>
public sealed record BootstrappedSuperAdmin(string UserId, string Password, bool PasswordGenerated);

/// <summary>Creates the first Super_Admin (User ID 56125810021) on an empty database, exactly once even with several instances.</summary>
public sealed class Bootstrapper(BankDbContext db, WriteGate gate, Passwords passwords, UserService users, AuditTrail audit)
{
    public async Task<BootstrappedSuperAdmin?> EnsureSuperAdminAsync(BootstrapOptions options, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct))
        {
            return null;
        }

        var generated = string.IsNullOrEmpty(options.Password);
        var password = generated ? Passwords.Generate() : options.Password!;
        if (!generated && PasswordPolicy.Check(password) is { } rule)
        {
            throw new InvalidOperationException($"Bootstrap:SuperAdmin:Password breaks the password policy: {rule}");
        }

        var hash = passwords.Hash(password);
        var valid = new NewUser.Valid(
            "Super", "Admin", options.Email.Trim(), new DateOnly(1970, 1, 1), [], Gender.Other, null, "Mumbai", "Maharashtra", Role.SuperAdmin);
        var result = await gate.WriteAsync<BootstrappedSuperAdmin?>(db, async t =>
        {
            var user = await users.AddUserAsync(valid, hash, mustChangePassword: true, createdBy: null, t);
            if (user.Id != BankDbContext.FirstUserId)
            {
                // Another instance bootstrapped first; roll back.
                return new Failure(FailureCodes.Conflict, "Already bootstrapped.");
            }

            audit.Record(db, null, AuditActions.BootstrapSuperAdmin, user.Id);
            return Result<BootstrappedSuperAdmin?>.Ok(new BootstrappedSuperAdmin(user.UserId, password, generated));
        }, ct);
        return result.Value;
    }
}
