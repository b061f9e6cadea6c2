using Bank.Core.Reports;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Reports;

/// <summary>The monthly login statistics (SPEC §6): per user and in all, equal to a count written here, by the bank's month.</summary>
public sealed class MonthlyLoginTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Each_users_sign_ins_failures_and_last_sign_in_equal_an_independent_count_for_the_month(TestBank bank)
    {
        var people = new List<Enrolled>();
        foreach (var role in new[] { Role.Admin, Role.Employee, Role.Customer, Role.Customer, Role.Customer })
        {
            people.Add(await bank.EnrolAsync(role));
        }

        // Attempts through February and into March; the last person signs in at 23:59 IST on 28 February and at 00:01 IST on 1 March.
        var random = new Random(5);
        async Task AttemptsUntilAsync(DateTimeOffset until)
        {
            while (bank.Clock.GetUtcNow() < until)
            {
                bank.Clock.Advance(TimeSpan.FromMinutes(random.Next(200, 900)));
                var person = people[random.Next(people.Count - 1)];
                await bank.SignInAsync(person.UserId, random.Next(3) == 0 ? "Not-the-password-1" : person.Password);
            }
        }

        bank.Clock.SetUtcNow(new DateTimeOffset(2127, 2, 1, 0, 0, 0, TimeSpan.Zero));
        await AttemptsUntilAsync(new DateTimeOffset(2127, 2, 28, 3, 0, 0, TimeSpan.Zero));
        bank.Clock.SetUtcNow(new DateTimeOffset(2127, 2, 28, 18, 29, 0, TimeSpan.Zero));
        await bank.SignInAsync(people[^1].UserId, people[^1].Password);
        bank.Clock.SetUtcNow(new DateTimeOffset(2127, 2, 28, 18, 31, 0, TimeSpan.Zero));
        await bank.SignInAsync(people[^1].UserId, people[^1].Password);
        await AttemptsUntilAsync(new DateTimeOffset(2127, 3, 20, 0, 0, 0, TimeSpan.Zero));

        await using var db = bank.Database.CreateContext();
        var attempts = await db.LoginAttempts.AsNoTracking().Where(a => a.UserId != null).ToListAsync(Token);
        foreach (var (year, month) in new[] { (2127, 2), (2127, 3) })
        {
            var report = await ReportAsync(bank, bank.Administrator, $"{year}-{month:D2}");
            var inMonth = attempts.Where(a => bank.DateIn(a.At) is var day && day.Year == year && day.Month == month).ToList();
            var expected = inMonth.GroupBy(a => a.UserId!.Value).OrderBy(g => g.Key).Select(g => (
                new UserId(g.Key).ToString(),
                g.Count(a => a.Succeeded),
                g.Count(a => !a.Succeeded),
                g.Where(a => a.Succeeded).Select(a => (DateTimeOffset?)a.At).Max())).ToList();

            Assert.Equal(expected, report.Users.Select(r => (r.UserId, r.SignIns, r.FailedAttempts, r.LastSignInAt)));
            Assert.Equal(inMonth.Count(a => a.Succeeded), report.SignIns);
            Assert.Equal(inMonth.Count(a => !a.Succeeded), report.FailedAttempts);
            Assert.Equal(expected.Count(e => e.Item2 > 0), report.ActiveUsers);
            Assert.True(report.SignIns > 10, "The month is busy enough to mean something.");
        }

        // The sign-in at 23:59 IST on 28 February is February's last; the one at 00:01 IST is March's first.
        var last = people[^1].UserId;
        Assert.Equal(new DateTimeOffset(2127, 2, 28, 18, 29, 0, TimeSpan.Zero), (await ReportAsync(bank, bank.Administrator, "2127-02")).Users.Single(u => u.UserId == last).LastSignInAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await ReportAsync(bank, bank.Administrator, "2127-03")).Users.Single(u => u.UserId == last).SignIns);
    }

    [Theory]
    [DatabaseData("signIns")]
    [DatabaseData("-signIns")]
    [DatabaseData("failedAttempts")]
    [DatabaseData("-lastSignIn")]
    [DatabaseData("name")]
    [DatabaseData("-role")]
    [DatabaseData("-userId")]
    public async Task Rows_sort_by_every_column_both_ways(TestBank bank, string sort)
    {
        var people = new List<Enrolled>();
        foreach (var role in new[] { Role.Admin, Role.Employee, Role.Customer, Role.Customer })
        {
            people.Add(await bank.EnrolAsync(role));
        }

        for (var i = 0; i < people.Count; i++)
        {
            for (var n = 0; n <= i; n++)
            {
                bank.Clock.Advance(TimeSpan.FromMinutes(7 * (people.Count - i)));
                await bank.SignInAsync(people[i].UserId, n % 2 == 0 ? people[i].Password : "Not-the-password-1");
            }
        }

        var rows = (await ReportAsync(bank, bank.Administrator, null, sort)).Users;

        Func<MonthlyLoginRow, object?> key = sort.TrimStart('-') switch
        {
            "signIns" => r => r.SignIns,
            "failedAttempts" => r => r.FailedAttempts,
            "lastSignIn" => r => r.LastSignInAt,
            "name" => r => r.LastName + " " + r.FirstName,
            "role" => r => r.Role,
            _ => r => long.Parse(r.UserId, System.Globalization.CultureInfo.InvariantCulture),
        };
        var keys = rows.Select(key).ToList();
        var ordered = sort.StartsWith('-') ? keys.OrderDescending().ToList() : keys.Order().ToList();
        Assert.Equal(ordered, keys);
        Assert.Equal(people.Count, rows.Count);
    }

    [Theory, DatabaseData]
    public async Task Pages_of_rows_follow_one_another_to_the_whole_export_and_a_cursor_keeps_its_month_and_order(TestBank bank)
    {
        for (var i = 0; i < 7; i++)
        {
            var person = await bank.EnrolAsync(Role.Customer);
            for (var n = 0; n <= i % 3; n++)
            {
                bank.Clock.Advance(TimeSpan.FromMinutes(3));
                await bank.SignInAsync(person.UserId, person.Password);
            }
        }

        await using var scope = bank.Scope();
        var logins = scope.Get<MonthlyLogins>();
        var all = (await logins.ExportAsync(bank.Administrator, new MonthlyLoginQuery(Sort: "-signIns", Limit: 1), Token)).Value!;
        Assert.Null(all.NextCursor);
        Assert.Equal(all.UsersWithAttempts, all.Users.Count);
        Assert.True(all.Users.Count >= 7, $"{all.Users.Count} rows");

        var pages = new List<MonthlyLoginReport>();
        string? cursor = null;
        do
        {
            var page = (await logins.ForMonthAsync(bank.Administrator, new MonthlyLoginQuery(Sort: "-signIns", Cursor: cursor, Limit: 3), Token)).Value!;
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(all.Users, pages.SelectMany(p => p.Users));
        Assert.All(pages, p => Assert.Equal((all.SignIns, all.ActiveUsers, all.UsersWithAttempts), (p.SignIns, p.ActiveUsers, p.UsersWithAttempts)));
        Assert.Equal((all.Users.Count + 2) / 3, pages.Count);

        var next = pages[0].NextCursor;
        foreach (var other in new[] { new MonthlyLoginQuery(Sort: "name", Cursor: next), new MonthlyLoginQuery("2020-01", "-signIns", next), new MonthlyLoginQuery(Sort: "-signIns", Cursor: "bm9wZQ") })
        {
            var refused = await logins.ForMonthAsync(bank.Administrator, other, Token);
            Assert.Equal(["cursor"], refused.Failure!.FieldErrors!.Keys);
        }
    }

    [Theory, DatabaseData]
    public async Task Only_a_super_admin_reads_it_and_a_bad_month_or_sort_names_its_field(TestBank bank)
    {
        var admin = await bank.AddStaffAsync(Role.Admin);
        await using var scope = bank.Scope();
        var logins = scope.Get<MonthlyLogins>();

        Assert.Equal(FailureTypes.Forbidden.Code, (await logins.ForMonthAsync(admin, new MonthlyLoginQuery(), Token)).Failure?.Code);
        var bad = await logins.ForMonthAsync(bank.Administrator, new MonthlyLoginQuery("2127-13", "height"), Token);
        Assert.Equal(["month", "sort"], bad.Failure!.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        foreach (var month in new[] { "9999-12", "1999-12", "2026-1", "next" })
        {
            Assert.Equal(["month"], (await logins.ForMonthAsync(bank.Administrator, new MonthlyLoginQuery(month), Token)).Failure!.FieldErrors!.Keys);
        }
        var empty = await logins.ForMonthAsync(bank.Administrator, new MonthlyLoginQuery("2031-01"), Token);
        Assert.Equal(("2031-01", 0, 0), (empty.Value!.Month, empty.Value.Users.Count, empty.Value.SignIns));
    }

    private static async Task<MonthlyLoginReport> ReportAsync(TestBank bank, Actor actor, string? month, string? sort = null)
    {
        await using var scope = bank.Scope();
        var result = await scope.Get<MonthlyLogins>().ExportAsync(actor, new MonthlyLoginQuery(month, sort), Token);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return result.Value!;
    }
}
