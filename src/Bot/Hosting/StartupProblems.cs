using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Runs every start-up validation before the host starts, so a configuration mistake is reported as the
/// sentences that name the settings (one a line) and exit code 1, instead of "Hosting failed to start" and a
/// stack trace from the middle of the host.
/// </summary>
public static partial class StartupProblems
{
    /// <summary>The exit code of a configuration mistake.</summary>
    public const int ExitCode = 1;

    /// <summary>The sentences of every failed start-up validation (options registered with <c>ValidateOnStart</c>),
    /// or none when the configuration is usable.</summary>
    public static IReadOnlyList<string> Find(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return Sentences([ex]);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return Sentences(ex.InnerExceptions.Cast<OptionsValidationException>());
        }
    }

    /// <summary>
    /// The sentences of every failed start-up validation, then, when the settings are usable, of every store that
    /// cannot be used (a corrupt file, a read-only folder), each naming its setting; none when the bot can start.
    /// Stores are migrated here, before the host starts, so the operator reads a sentence and not a host failure.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var problems = Find(services);
        if (problems.Count > 0)
        {
            return problems; // the stores are placed by those settings: opening them now would only add noise
        }

        return services.GetService<IOptions<StoreMigrationOptions>>() is { } stores
            ? await StoreMigrationService.FindProblemsAsync(services, stores.Value, cancellationToken)
            : [];
    }

    /// <summary>Writes <paramref name="problems"/> for the operator and returns <see cref="ExitCode"/>.</summary>
    public static async Task<int> ReportAsync(IReadOnlyList<string> problems, TextWriter error)
    {
        await error.WriteLineAsync("pscale-bot cannot start:");
        foreach (var problem in problems)
        {
            await error.WriteLineAsync("- " + problem);
        }

        return ExitCode;
    }

    /// <summary>True when this process is the bot itself, not a test host running <c>Program</c>: then problems are
    /// reported and the process exits; a test host sees the exception instead.</summary>
    public static bool HostedByTheBot => System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupProblems).Assembly;

    private static List<string> Sentences(IEnumerable<OptionsValidationException> failures) =>
        [.. failures.SelectMany(f => f.Failures).Select(Unwrap).Distinct()];

    // DataAnnotations wraps the sentence: "DataAnnotation validation failed for 'X' members: 'Y' with the error: '…'."
    private static string Unwrap(string failure) =>
        DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["sentence"].Value : failure;

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<sentence>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
