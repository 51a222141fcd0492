using System.Text.RegularExpressions;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Permissions;

namespace PscaleBot.Commands.Tests.Execution.Fakes;

/// <summary>
/// A small parser for the pipeline's tests: the <c>service-token</c> grammar with the common flags,
/// <c>help</c>, <c>whoami</c>, <c>audit</c> and <c>access</c>; secrets redacted and flagged as the real one does.
/// </summary>
public sealed partial class SmallCommandParser : ICommandParser
{
    private static readonly HashSet<string> BooleanFlags = ["--dry-run", "--debug", "--public", "--break-glass"];

    public ParseOutcome Parse(string text)
    {
        var exposed = Secret().IsMatch(text);
        var redacted = Secret().Replace(text, "pscale_tkn_[REDACTED]");
        var words = Words(text);
        if (words.Count > 0 && words[0] == "pscale")
        {
            words.RemoveAt(0);
        }

        var positional = new List<string>();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            if (!words[i].StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(words[i]);
            }
            else if (BooleanFlags.Contains(words[i]))
            {
                flags[words[i]] = "true";
            }
            else if (i + 1 < words.Count)
            {
                flags[words[i]] = words[++i];
            }
            else
            {
                return Fail($"flag needs an argument: {words[i]}", "pscale service-token <command> [flags]", redacted, exposed);
            }
        }

        var format = flags.GetValueOrDefault("--format") switch
        {
            null or "human" => OutputFormat.Human,
            "json" => OutputFormat.Json,
            "csv" => OutputFormat.Csv,
            var other => (OutputFormat?)null,
        };
        if (format is null)
        {
            return Fail($"invalid --format \"{flags["--format"]}\": use human, json or csv", "pscale service-token <command> [flags]", redacted, exposed);
        }

        var options = new CommonOptions(flags.GetValueOrDefault("--org"), format.Value, flags.ContainsKey("--dry-run"), flags.ContainsKey("--debug"), flags.ContainsKey("--public"));
        if (positional.Count == 0)
        {
            return Fail("no command given", "pscale service-token <command> [flags]", redacted, exposed);
        }

        BotCommand? command = null;
        string? error = null;
        var usage = "pscale service-token <command> [flags]";
        switch (positional[0])
        {
            case "help":
                command = new HelpCommand(options, positional.ElementAtOrDefault(1));
                break;
            case "whoami":
                command = new WhoAmICommand(options);
                break;
            case "audit":
                command = new AuditCommand(options, int.Parse(flags.GetValueOrDefault("--limit") ?? "20", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "access" when positional.ElementAtOrDefault(1) == "list":
                command = new AccessListCommand(options);
                break;
            case "service-token":
                (command, error, usage) = ServiceToken(positional.Skip(1).ToList(), flags, options);
                break;
            default:
                error = $"unknown command \"{positional[0]}\" for \"pscale\"";
                break;
        }

        return command is not null
            ? new ParseOutcome(command, null, redacted, exposed)
            : Fail(error ?? "could not parse", usage, redacted, exposed);
    }

    private static (BotCommand?, string?, string) ServiceToken(List<string> args, Dictionary<string, string> flags, CommonOptions options)
    {
        var sub = args.ElementAtOrDefault(0);
        var rest = args.Skip(1).ToList();
        var database = flags.GetValueOrDefault("--database");
        var usage = $"pscale service-token {sub} [flags]";
        switch (sub)
        {
            case "create":
                var ttl = flags.TryGetValue("--ttl", out var seconds) ? TimeSpan.FromSeconds(int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)) : (TimeSpan?)null;
                return (new CreateTokenCommand(options, flags.GetValueOrDefault("--name"), ttl), null, usage);
            case "list":
                return (new ListTokensCommand(options), null, usage);
            case "show" when rest.Count == 1:
                return (new ShowTokenCommand(options, rest[0]), null, usage);
            case "delete" when rest.Count == 1:
                return (new DeleteTokenCommand(options, rest[0]), null, usage);
            case "show-access" when rest.Count == 1:
                return (new ShowAccessCommand(options, rest[0]), null, usage);
            case "add-access" or "delete-access" when rest.Count >= 2:
                var permissions = rest.Skip(1).Distinct().ToList();
                if (permissions.FirstOrDefault(p => !PermissionCatalog.IsKnown(p)) is { } unknown)
                {
                    return (null, $"unknown permission \"{unknown}\"", $"pscale service-token {sub} <TOKEN_ID> <PERMISSION>... [--database DB]");
                }

                TimeSpan? duration = flags.TryGetValue("--for", out var span)
                    ? span.EndsWith('h') ? TimeSpan.FromHours(int.Parse(span[..^1], System.Globalization.CultureInfo.InvariantCulture))
                    : TimeSpan.FromMinutes(int.Parse(span.TrimEnd('m'), System.Globalization.CultureInfo.InvariantCulture))
                    : null;
                return sub == "add-access"
                    ? (new AddAccessCommand(options, rest[0], permissions, database, duration, flags.GetValueOrDefault("--reason"), flags.ContainsKey("--break-glass")), null, usage)
                    : (new DeleteAccessCommand(options, rest[0], permissions, database), null, usage);
            default:
                return (null, sub is null ? "missing sub-command" : $"wrong arguments for \"{sub}\"", usage);
        }
    }

    private static ParseOutcome Fail(string message, string usage, string redacted, bool exposed) =>
        new(null, new ParseError(message, usage), redacted, exposed);

    private static List<string> Words(string text) =>
        [.. WordPattern().Matches(text).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Value)];

    [GeneratedRegex(@"pscale_tkn_[A-Za-z0-9_\-]+")]
    private static partial Regex Secret();

    [GeneratedRegex("\"([^\"]*)\"|\\S+")]
    private static partial Regex WordPattern();
}
