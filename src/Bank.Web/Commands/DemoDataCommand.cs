using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Bank.Core;
using Bank.Core.Data;
using Bank.Core.Demo;
using Bank.Core.Money;
using Bank.Core.Users;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Bank.Web.Commands;

/// <summary>
/// What <c>demo-data</c> takes: <c>--customers N</c>, <c>--months M</c> and <c>--seed S</c> (also written
/// <c>--name=value</c>). The values are read here rather than by Spectre, so that a wrong one is refused naming its option
/// and a number may be written as before Spectre read the command line (with a sign, or thousands separators: 100,000).
/// </summary>
public sealed class DemoDataSettings : CommandSettings
{
    /// <summary>How to call it.</summary>
    public const string Usage = "demo-data [--customers N] [--months M] [--seed S]";

    /// <summary>How many customers to make, as given.</summary>
    [CommandOption("--customers <N>")]
    [Description("Customers to make, 1 to 1,000,000 (default 1,000).")]
    public string? Customers { get; init; }

    /// <summary>How many months of history up to now, as given.</summary>
    [CommandOption("--months <M>")]
    [Description("Months of history up to now, 1 to 36 (default 6).")]
    public string? Months { get; init; }

    /// <summary>The seed, as given.</summary>
    [CommandOption("--seed <S>")]
    [Description("The seed: the same seed on the same database makes the same bank (default 56125810).")]
    public string? Seed { get; init; }

    /// <summary>The request the options make, the defaults for those not given (after <see cref="Validate"/> passed).</summary>
    public DemoRequest Request => TryRead(out var request, out var mistake) ? request : throw new InvalidOperationException(mistake);

    /// <inheritdoc/>
    public override ValidationResult Validate() =>
        TryRead(out _, out var mistake) ? ValidationResult.Success() : ValidationResult.Error($"{mistake}\nUsage: {Usage}");

    private bool TryRead(out DemoRequest request, [NotNullWhen(false)] out string? mistake)
    {
        var defaults = new DemoRequest();
        request = defaults;
        if (!TryNumber("--customers", Customers, defaults.Customers, out var customers, out mistake)
            || !TryNumber("--months", Months, defaults.Months, out var months, out mistake)
            || !TryNumber("--seed", Seed, defaults.Seed, out var seed, out mistake))
        {
            return false;
        }

        request = new DemoRequest(customers, months, seed);
        mistake = request.Problem();
        return mistake is null;
    }

    private static bool TryNumber(string option, string? text, int fallback, out int number, [NotNullWhen(false)] out string? mistake)
    {
        (number, mistake) = (fallback, null);
        if (text is null || int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out number))
        {
            return true;
        }

        mistake = $"{option} takes a whole number, not '{text}'.";
        return false;
    }
}

/// <summary>
/// <c>demo-data [--customers N] [--months M] [--seed S]</c>: migrates, makes sure the first Super_Admin exists, fills the
/// bank with <see cref="DemoData"/> under a live progress display, prints the users to sign in as (with their role's demo
/// password) and the ledger check. Exit code 0 when the books verify, 1 when anything failed, 2 for bad arguments.
/// </summary>
public sealed class DemoDataCommand(CommandHost host) : BankCommand<DemoDataSettings>(host)
{
    private static readonly CultureInfo India = CultureInfo.GetCultureInfo("en-IN");

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(IServiceProvider services, DemoDataSettings settings, CancellationToken ct)
    {
        var request = settings.Request;
        var console = AnsiConsole.Console;
        if (!console.Profile.Capabilities.Interactive)
        {
            // Redirected output (logs, CI): wide enough that no table cell wraps.
            console.Profile.Width = Math.Max(console.Profile.Width, 160);
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var started = clock.GetTimestamp();
        DemoReport report;
        try
        {
            var database = services.GetRequiredService<BankDatabase>();
            await database.MigrateAsync(ct);
            if (await services.GetRequiredService<Bootstrapper>().EnsureSuperAdminAsync(ct) is { } created)
            {
                StartupTasks.PrintBootstrapped(created);
            }

            console.MarkupLine(CultureInfo.InvariantCulture,
                "Making a demo bank on [bold]{0}[/]: {1:N0} customers, {2} months of history, seed {3}.", database.Provider, request.Customers, request.Months, request.Seed);
            report = await console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var display = new PhaseDisplay(context, console, clock);
                    var loaded = await services.GetRequiredService<DemoData>().LoadAsync(request, display, ct);
                    display.Finish(loaded);
                    return loaded;
                });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"The demo data could not be loaded: {ex.Message}");
            return 1;
        }

        Print(console, report, services.GetRequiredService<IOptions<BankOptions>>().Value.Zone, clock.GetElapsedTime(started));
        StartupTasks.PrintLedgerReport(report.Ledger);
        return report.Ledger.Ok ? 0 : 1;
    }

    private static void Print(IAnsiConsole console, DemoReport report, TimeZoneInfo zone, TimeSpan elapsed)
    {
        var staff = string.Join(", ", new[] { Role.SuperAdmin, Role.Admin, Role.Employee }
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{report.UsersByRole.GetValueOrDefault(r):N0} {r.Name()}")));
        console.WriteLine();
        console.MarkupLine(CultureInfo.InvariantCulture, "[green]Done in {0:0.0} s.[/] {1:N0} users ({2}, {3:N0} customers), {4:N0} transactions ({5:N0} entries), {6:N0} sign-in attempts.",
            elapsed.TotalSeconds, report.TotalUsers, Markup.Escape(staff), report.UsersByRole.GetValueOrDefault(Role.Customer), report.Transactions, report.Entries, report.SignIns);
        console.MarkupLine(CultureInfo.InvariantCulture, "History from {0:yyyy-MM-dd HH:mm} to {1:yyyy-MM-dd HH:mm} ({2}).",
            TimeZoneInfo.ConvertTime(report.From, zone), TimeZoneInfo.ConvertTime(report.To, zone), Markup.Escape(zone.Id));
        console.WriteLine();

        // What people copy (User IDs, account numbers, passwords) never wraps; on a narrow terminal the names do.
        var users = new Table().Title("Demo users to sign in as")
            .AddColumn("Role", c => c.NoWrap())
            .AddColumn("User ID", c => c.NoWrap())
            .AddColumn("Name")
            .AddColumn("Account", c => c.NoWrap())
            .AddColumn("Balance", c => c.NoWrap().RightAligned());
        foreach (var user in report.Users)
        {
            users.AddRow(
                Markup.Escape(user.Role.Name()),
                user.UserId,
                Markup.Escape(user.Name),
                user.AccountNumber ?? "",
                user.Balance is { } balance ? Markup.Escape(Rupees.Format(balance)) : "");
        }

        console.Write(users);
        var passwords = new Table().Title("Demo passwords, one per role")
            .AddColumn("Role", c => c.NoWrap())
            .AddColumn("Password", c => c.NoWrap())
            .AddColumn("Users", c => c.RightAligned());
        foreach (var (role, password) in report.Users.Select(u => (u.Role, u.Password)).Distinct())
        {
            passwords.AddRow(Markup.Escape(role.Name()), Markup.Escape(password), report.UsersByRole.GetValueOrDefault(role).ToString("N0", India));
        }

        console.Write(passwords);
        console.MarkupLine("Every demo user of a role has that role's password (shown only now, never stored in clear); no change is asked at sign-in.");
        console.MarkupLine("Demo Super_Admins and Admins have no second factor: where one is required (Security:RequireStaffTwoFactor, on outside Development), they set one up at their first sign-in.");
        console.MarkupLine("Start the bank with [bold]dotnet run --project src/Bank.Web[/] and sign in with a User ID and its password.");
        console.WriteLine();
    }

    /// <summary>The progress of each phase as a bar; on a console that is not interactive, a line per finished phase instead.</summary>
    private sealed class PhaseDisplay : IProgress<DemoProgress>
    {
        private readonly Dictionary<DemoPhase, ProgressTask> _bars;
        private readonly IAnsiConsole _console;
        private readonly HashSet<DemoPhase> _finished = [];
        private readonly TimeProvider _clock;
        private readonly long _started;

        public PhaseDisplay(ProgressContext context, IAnsiConsole console, TimeProvider clock)
        {
            _console = console;
            _clock = clock;
            _started = clock.GetTimestamp();
            _bars = Enum.GetValues<DemoPhase>().ToDictionary(p => p, p => context.AddTask(Label(p, 0), autoStart: false, maxValue: 1));
        }

        public void Report(DemoProgress value)
        {
            var bar = _bars[value.Phase];
            if (!bar.IsStarted)
            {
                bar.StartTask();
            }

            bar.Description = Label(value.Phase, value.Rows);
            bar.Value = value.Fraction;
            if (value.Fraction >= 1)
            {
                bar.StopTask();
            }

            if (value.Fraction >= 1 && _finished.Add(value.Phase) && !_console.Profile.Capabilities.Interactive)
            {
                _console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Label(value.Phase, value.Rows)}  done at {_clock.GetElapsedTime(_started).TotalSeconds:0.0} s"));
            }
        }

        public void Finish(DemoReport report)
        {
            if (!report.Ledger.Ok)
            {
                _bars[DemoPhase.Verify].Description = "[red]Ledger check: OFF[/]";
            }
        }

        private static string Label(DemoPhase phase, long rows) => phase switch
        {
            DemoPhase.People => string.Create(India, $"People         {rows,12:N0} users"),
            DemoPhase.Accounts => string.Create(India, $"Accounts       {rows,12:N0} accounts"),
            DemoPhase.Transactions => string.Create(India, $"Transactions   {rows,12:N0} movements"),
            DemoPhase.SignIns => string.Create(India, $"Sign-ins       {rows,12:N0} attempts"),
            _ => rows > 0 ? string.Create(India, $"Indexes, check {rows,12:N0} accounts") : "Indexes, check",
        };
    }
}
