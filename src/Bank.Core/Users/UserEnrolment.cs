using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Data;
using Bank.Core.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Users;

/// <summary>Creating users (SPEC §2): checked input, a generated User ID, a one-time password, and a customer's account in the same transaction.</summary>
public sealed class UserEnrolment(
    BankDbContext db,
    WriteGate gate,
    Passwords passwords,
    AccountService accounts,
    AuditTrail audit,
    BankCalendar calendar,
    TimeProvider clock,
    IOptions<BankOptions> bank,
    DashboardCache dashboards)
{
    /// <summary>Creates a user (and, for a customer, their account in the same transaction) with a one-time password.</summary>
    public async Task<Result<CreatedUser>> CreateAsync(Actor actor, NewUser input, CancellationToken ct)
    {
        if (!actor.Role.IsAdministrator())
        {
            return Failure.Forbidden("Only administrators can create users.");
        }

        if (!input.Validate(calendar.Today, bank.Value.MinimumCustomerAge).TryGet(out var valid, out var invalid))
        {
            return invalid;
        }

        if (!actor.Role.CanManage(valid.Role))
        {
            return Failure.Forbidden($"An {actor.Role.Name()} cannot create a user with the role {valid.Role.Name()}.");
        }

        if (await FindDuplicatesAsync(valid, ct) is { } duplicate)
        {
            return duplicate;
        }

        var temporary = Passwords.Generate();
        var hash = passwords.Hash(temporary);
        try
        {
            var created = await gate.WriteAsync(db, async token =>
            {
                var user = await AddAsync(valid, hash, createdBy: actor.UserId, token);
                var accountNumber = valid.Role == Role.Customer ? await accounts.OpenAsync(user.Id, token) : null;
                audit.Record(actor, AuditActions.UserCreated, user.Id, $"role={valid.Role.Name()}");
                return Result.Ok(new CreatedUser(user.UserId.ToString(), temporary, accountNumber));
            }, ct);
            if (created.Succeeded)
            {
                // The staff dashboard counts users: the administrator sees the new one at once.
                await dashboards.ForgetStaffAsync(ct);
            }

            return created;
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex, out var constraint))
        {
            // Another request took the email or a phone number between our check and our insert.
            return constraint.Contains("email", StringComparison.OrdinalIgnoreCase)
                ? Failure.Validation("email", "A user with this email address already exists.")
                : Failure.Validation("phoneNumbers", "One of these phone numbers belongs to another user.");
        }
    }

    /// <summary>Inserts the user row (with a one-time password), phones and first password-history entry; call inside a write transaction.</summary>
    internal async Task<User> AddAsync(NewUser.Valid valid, string passwordHash, UserId? createdBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = await Counters.NextAsync(db, CounterNames.UserId, ct);
        var user = valid.ToUser(id, UserStatus.Active, createdBy?.Value, now, passwordHash, mustChangePassword: true);
        user.Phones = valid.PhoneNumbers.Select((p, i) => new UserPhone { Number = p, Position = i }).ToList();
        db.Users.Add(user);
        db.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = passwordHash, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return user;
    }

    private async Task<Failure?> FindDuplicatesAsync(NewUser.Valid valid, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var normalized = User.NormalizeEmail(valid.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
        {
            errors.Add("email", "A user with this email address already exists.");
        }

        var phones = valid.PhoneNumbers.ToList();
        var taken = await db.UserPhones.Where(p => phones.Contains(p.Number)).Select(p => p.Number).ToListAsync(ct);
        foreach (var phone in taken)
        {
            errors.Add($"phoneNumbers[{phones.IndexOf(phone)}]", "This phone number belongs to another user.");
        }

        return errors.ToFailure();
    }
}
