using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Bank.Web.Commands;

/// <summary>
/// The operator's command line (Spectre.Console.Cli): one command class per verb, its arguments and options declared on
/// its settings class, <c>--help</c> for the list and for each verb. Without a command the bank runs its server.
/// </summary>
public static class BankCommandLine
{
    private const string ApplicationName = "Bank.Web";

    /// <summary>
    /// True when the arguments start the server: none, or ASP.NET Core's own first (an option such as <c>--urls</c> or
    /// <c>--hostBuilder:…</c>, or <c>key=value</c>), the rule the verbs had before Spectre. Those go to the host as they
    /// are: Spectre reads options by its own rules (<c>--Logging:LogLevel:Default=Debug</c> would be an option
    /// <c>Logging</c>, <c>urls=…</c> a command). Only <c>--help</c> (<c>-h</c>, <c>-?</c>) goes to the command line.
    /// </summary>
    public static bool StartsTheServer(IReadOnlyList<string> args) =>
        args.Count == 0
        || (args[0] is not ("--help" or "-h" or "-?") && (args[0].StartsWith('-') || args[0].Contains('=', StringComparison.Ordinal)));

    /// <summary>
    /// Runs the command the arguments name on the bank <paramref name="compose"/> builds, and returns its exit code; 2 for
    /// a command line it refuses (nothing runs). The bank is composed only when a command runs, so <c>--help</c> and a
    /// refused command line need no settings and no database.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<WebApplication> compose)
    {
        var cli = new CommandApp();
        cli.Configure(config =>
        {
            config.SetApplicationName(ApplicationName);
            // A command's own failure (a setting that breaks its rule included) reaches Program, as at a start.
            config.PropagateExceptions();
            config.SetHelpProvider(new Help(config.Settings));
            config.Settings.Registrar.RegisterInstance(new CommandHost(compose));

            config.AddCommand<MigrateCommand>("migrate")
                .WithDescription("Migrates the database to the latest version.");
            config.AddCommand<VerifyLedgerCommand>("verify-ledger")
                .WithDescription("Checks that the books balance (exit code 1 if not).");
            config.AddCommand<UnlockCommand>("unlock")
                .WithDescription("Lifts a user's lock (audited).")
                .WithExample("unlock", "56125810021");
            config.AddCommand<OpenApiCommand>("openapi")
                .WithDescription("Writes the OpenAPI document; needs no database.")
                .WithExample("openapi", "openapi.json");
            config.AddCommand<DemoDataCommand>("demo-data")
                .WithDescription("Fills the bank with demo people and history.")
                .WithExample("demo-data", "--customers", "10000", "--months", "12");
            config.AddCommand<BackupCommand>("backup")
                .WithDescription("Copies the SQLite database to a new file, checked.")
                .WithExample("backup", "backups/bank-2026-12-01.db");
            config.AddCommand<RestoreCommand>("restore")
                .WithDescription("Puts a checked backup in place of the SQLite database.")
                .WithExample("restore", "backups/bank-2026-12-01.db");
        });

        try
        {
            return await cli.RunAsync(args);
        }
        catch (CommandAppException refused)
        {
            // Spectre's own refusals (an unknown command or option, a missing argument) point at the argument; a
            // settings class's is its message.
            if (refused.Pretty is { } pretty)
            {
                AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Write(pretty);
            }
            else
            {
                await Console.Error.WriteLineAsync(refused.Message);
            }

            await Console.Error.WriteLineAsync($"{ApplicationName} --help lists the commands; {ApplicationName} <command> --help, its arguments and options.");
            return 2;
        }
    }

    /// <summary>Spectre's help, saying above the list of commands what the bank does without one.</summary>
    private sealed class Help(ICommandAppSettings settings) : HelpProvider(settings)
    {
        private readonly Style _header = settings.HelpProviderStyles?.Description?.Header ?? Style.Plain;

        public override IEnumerable<IRenderable> GetDescription(ICommandModel model, ICommandInfo? command) =>
            command is not null
                ? base.GetDescription(model, command)
                :
                [
                    new Text("DESCRIPTION:\n", _header),
                    new Text("Without a command, runs the bank's web server (ASP.NET Core's own arguments, such as --urls "
                        + "http://localhost:5000, go to it). A command does its task and exits.\n\n"),
                ];
    }
}

/// <summary>
/// The composed bank the commands run on, built when a command first asks for it: after its command line is read, and
/// with every setting checked, as at a start.
/// </summary>
public sealed class CommandHost(Func<WebApplication> compose)
{
    private WebApplication? _app;

    /// <summary>The bank, composed on first use.</summary>
    public WebApplication App => _app ??= compose();
}

/// <summary>A verb that runs in a scope of the composed bank's services, with the arguments its settings class declares.</summary>
public abstract class BankCommand<TSettings>(CommandHost host) : AsyncCommand<TSettings>
    where TSettings : CommandSettings
{
    /// <summary>
    /// Refuses an option the verb does not have (or anything after <c>--</c>), naming it: never ignored (a mistyped
    /// --customers would load the default bank). Spectre's parsing is left relaxed, which keeps such arguments aside for
    /// this check: its strict parsing refuses them too, but for an option given without its value it retries with a
    /// placeholder and passes <c>__default_command</c> as the value.
    /// </summary>
    public override ValidationResult Validate(CommandContext context, TSettings settings)
    {
        if (context.Remaining.Parsed.FirstOrDefault() is { } option)
        {
            return ValidationResult.Error($"Unknown option '{option.Key}'.");
        }

        if (context.Remaining.Raw.Count > 0)
        {
            return ValidationResult.Error($"Unknown argument '{context.Remaining.Raw[0]}'.");
        }

        return base.Validate(context, settings);
    }

    /// <inheritdoc/>
    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        return await RunAsync(scope.ServiceProvider, settings, cancellationToken);
    }

    /// <summary>Does the verb's work and returns its exit code.</summary>
    protected abstract Task<int> RunAsync(IServiceProvider services, TSettings settings, CancellationToken ct);
}
