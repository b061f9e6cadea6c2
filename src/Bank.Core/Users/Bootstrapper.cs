using System.ComponentModel.DataAnnotations;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Users;

/// <summary>Settings of the first Super_Admin (section <c>Bootstrap:SuperAdmin</c>), checked at start.</summary>
public sealed class BootstrapOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Bootstrap:SuperAdmin";

    /// <summary>The initial password; random (and printed once) when unset. It must follow the password policy.</summary>
    public string? Password { get; set; }

    /// <summary>The first Super_Admin's email.</summary>
    public string Email { get; set; } = "superadmin@bank.local";

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var errors = new FieldErrors();
        UserRules.Email(errors, "Email", Email);
        foreach (var (_, messages) in errors.ToDictionary())
        {
            yield return new ValidationResult($"Bootstrap:SuperAdmin:Email: {string.Join(" ", messages)}", [nameof(Email)]);
        }

        if (!string.IsNullOrEmpty(Password) && PasswordPolicy.Check(Password) is { } rule)
        {
            yield return new ValidationResult($"Bootstrap:SuperAdmin:Password breaks the password policy: {rule}", [nameof(Password)]);
        }
    }
}

/// <summary>The first Super_Admin, created only when the database has no users.</summary>
public sealed record BootstrappedSuperAdmin(string UserId, string Password, bool PasswordGenerated);

/// <summary>Creates the first Super_Admin (User ID 56125810021) on an empty database, exactly once even with several instances.</summary>
public sealed class Bootstrapper(BankDbContext db, WriteGate gate, Passwords passwords, UserEnrolment enrolment, AuditTrail audit, IOptions<BootstrapOptions> options)
{
    /// <summary>The Super_Admin created now, or null when the database already had users.</summary>
    public async Task<BootstrappedSuperAdmin?> EnsureSuperAdminAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct))
        {
            return null;
        }

        var settings = options.Value;
        var generated = string.IsNullOrEmpty(settings.Password);
        var password = generated ? Passwords.Generate() : settings.Password!;
        var hash = passwords.Hash(password);
        var valid = new NewUser.Valid(
            "Super", "Admin", settings.Email.Trim(), new DateOnly(1970, 1, 1), [], Gender.Other, null, "Mumbai", "Maharashtra", Role.SuperAdmin);
        var result = await gate.WriteAsync(db, async t =>
        {
            var user = await enrolment.AddAsync(valid, hash, createdBy: null, t);
            if (user.UserId != UserId.First)
            {
                // Another instance bootstrapped first; roll back.
                return FailureTypes.Conflict.Because("Already bootstrapped.");
            }

            audit.Record(null, AuditActions.BootstrapSuperAdmin, user.Id);
            return Result.Ok(new BootstrappedSuperAdmin(user.UserId.ToString(), password, generated));
        }, ct);
        return result.TryGet(out var created, out _) ? created : null;
    }
}
