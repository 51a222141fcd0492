using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Hosting;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Bot.Shell;

/// <summary>
/// The local shell: <c>dotnet run --project src/Bot -- shell [--command "&lt;text&gt;"] [--user NAME] [Key=Value…]</c>.
/// Without PlanetScale credentials it runs against the embedded sandbox.
/// </summary>
public static class ShellProgram
{
    /// <summary>The exit code after an error, the CLI's <c>FatalErrExitCode</c>.</summary>
    public const int ErrorExitCode = 2;

    /// <summary>True when the first argument asks for the shell.</summary>
    public static bool IsShell(string[] args) => args.Length > 0 && args[0] == "shell";

    /// <summary>Runs the shell; the exit code is non-zero when a command failed.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = ShellArguments.Parse(args);
        if (parsed.Error is not null)
        {
            await Console.Error.WriteLineAsync($"Error: {parsed.Error}\n{ShellArguments.Usage}");
            return ErrorExitCode;
        }

        if (parsed.ShowUsage)
        {
            await Console.Out.WriteLineAsync(ShellArguments.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = parsed.ConfigurationArgs,
            ContentRootPath = ContentRoot.Resolve(),
        });
        ConfigureShellLogging(builder, parsed.Debug);
        if (parsed.User is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Shell:UserId"] = "shell:user:" + parsed.User,
                ["Shell:DisplayName"] = parsed.User,
            });
        }

        var sandbox = builder.AddEmbeddedSandbox(whenNoCredentials: true);
        builder.AddCommandCore();
        // The shell may run beside the bot on the same store: an id of its own per run, so neither ever takes the
        // other's claims for a dead predecessor's (its claims are plain leases).
        builder.Services.AddSingleton(sp => AccessReplicaIdentity.Unique("shell", sp.GetRequiredService<TimeProvider>()));
        builder.AddAccessRequests();
        builder.Services.AddOptions<ShellOptions>()
            .Bind(builder.Configuration.GetSection(ShellOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ShellSession>();

        using var host = builder.Build();
        if (await StartupProblems.FindAsync(host.Services, stop.Token) is { Count: > 0 } problems)
        {
            return await StartupProblems.ReportAsync(problems, Console.Error);
        }

        await host.StartAsync(stop.Token);
        try
        {
            var session = host.Services.GetRequiredService<ShellSession>();
            if (parsed.Command is not null)
            {
                return await session.RunOneAsync(parsed.Command, Console.Out, Console.Error, stop.Token) ? 0 : ErrorExitCode;
            }

            var interactive = !Console.IsInputRedirected;
            if (interactive)
            {
                await Console.Out.WriteLineAsync(Banner(host.Services, sandbox));
            }

            var ok = await session.RunLinesAsync(Console.In, Console.Out, Console.Error, interactive, stop.Token);
            return ok ? 0 : ErrorExitCode;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static void ConfigureShellLogging(HostApplicationBuilder builder, bool debug)
    {
        // The console belongs to the conversation, on stderr. Without --debug it shows warnings and errors as
        // sentences (no stack traces), and nothing from the retry machinery or the PlanetScale client: a failed
        // call is explained by the answer itself. The overrides beat appsettings.json's levels, which suit the server.
        builder.Configuration.AddInMemoryCollection(debug
            ? new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:PscaleBot"] = "Debug",
                // Retries are logged at Debug (one outage is one warning on a server); --debug is where they belong.
                ["Logging:LogLevel:Polly"] = "Debug",
            }
            : new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft"] = "Warning",
                ["Logging:LogLevel:Polly"] = "None",
                ["Logging:LogLevel:System.Net.Http"] = "None",
                ["Logging:LogLevel:PscaleBot.Commands.PlanetScale"] = "None",
            });
        builder.Logging.ClearProviders();
        if (debug)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            builder.Logging.AddConsole(o => o.FormatterName = SentenceConsoleFormatter.FormatterName)
                .AddConsoleFormatter<SentenceConsoleFormatter, ConsoleFormatterOptions>();
        }

        builder.Logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("PscaleBot.Bot.Hosting.EmbeddedSandboxLifetime", debug ? LogLevel.Information : LogLevel.None);
    }

    private static string Banner(IServiceProvider services, Uri? sandbox)
    {
        var shell = services.GetRequiredService<IOptions<ShellOptions>>().Value;
        var planetScale = services.GetRequiredService<IOptions<PlanetScaleOptions>>().Value;
        var target = sandbox is null
            ? $"PlanetScale API at {planetScale.BaseUrl}"
            : $"the embedded PlanetScale sandbox at {sandbox} (no PlanetScale credentials configured, so nothing real is touched)";
        return $"""
            pscale-bot shell: you are {shell.UserId} in the place `shell`, organization `{planetScale.DefaultOrganization}`.
            Talking to {target}.
            Type `help` for the commands, `exit` to leave.
            """;
    }
}

/// <summary>The shell's own command line.</summary>
internal sealed record ShellArguments(string? Command, string? User, bool ShowUsage, string[] ConfigurationArgs, string? Error, bool Debug = false)
{
    public const string Usage = """
        Usage: dotnet run --project src/Bot -- shell [--command "<text>"] [--user NAME] [Section:Key=Value ...]

          -c, --command TEXT   run one line and exit (exit code 2 when it fails)
          -u, --user NAME      act as shell:user:NAME (default: your login name)
              --debug          show diagnostics (retries, HTTP calls, stack traces) on stderr
          Section:Key=Value    any configuration override, e.g. PlanetScale:DefaultOrganization=acme
        Lines piped on standard input run one after another.
        """;

    public static ShellArguments Parse(string[] args)
    {
        string? command = null, user = null;
        var debug = false;
        var configuration = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return new(null, null, true, [], null);
                case "--debug":
                    debug = true;
                    break;
                case "-c" or "--command" or "-u" or "--user":
                    if (i + 1 >= args.Length)
                    {
                        return new(null, null, false, [], $"{arg} needs a value");
                    }

                    if (arg is "-c" or "--command")
                    {
                        command = args[++i];
                    }
                    else
                    {
                        user = args[++i];
                    }

                    break;
                default:
                    if (!arg.Contains('='))
                    {
                        return new(null, null, false, [], $"unknown argument `{arg}`");
                    }

                    configuration.Add(arg);
                    break;
            }
        }

        return new(command, user, false, [.. configuration], null, debug);
    }
}
