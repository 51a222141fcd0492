using BenchmarkDotNet.Attributes;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Benchmarks.Parsing;

/// <summary>
/// <see cref="ServiceTokenCommandParser.Parse"/> on the lines chat actually sends. Target: under 20 µs and 8 KB
/// allocated per line, so parsing is invisible inside Slack's 3-second acknowledgement budget.
/// </summary>
public class ParserBenchmarks
{
    /// <summary>Typed in chat, as the core receives it once the adapter has undone its markup: backticks, curly quotes, three permissions.</summary>
    public const string AddAccessWithMarkup =
        "service-token add-access `abc123def456` read_branch connect_branch create_deploy_request --database prod --org acme --for 2h --reason “INC-1234 hotfix & verify”";

    public const string ShowAccess = "service-token show-access abc123def456 --org acme";

    /// <summary>A misspelt sub-command and an unknown flag: the parser must word an error with a suggestion.</summary>
    public const string Malformed = "service-token add-acess abc123def456 read_brnch --databse prod";

    private readonly ServiceTokenCommandParser parser = new();

    /// <summary>Exactly at the 4000-character limit, so the whole line is normalised, redacted and parsed.</summary>
    public static readonly string LongLine = BuildLongLine();

    /// <summary>Refuses to measure lines that do not take the path they are named after.</summary>
    [GlobalSetup]
    public void CheckSamples()
    {
        Expect(AddAccessWithMarkup, succeeds: true);
        Expect(ShowAccess, succeeds: true);
        Expect(Malformed, succeeds: false);
        if (LongLine.Length != ServiceTokenCommandParser.MaxInputLength)
        {
            throw new InvalidOperationException($"the long line is {LongLine.Length} characters, not {ServiceTokenCommandParser.MaxInputLength}");
        }
    }

    [Benchmark(Description = "add-access, 3 permissions, chat markup")]
    public ParseOutcome AddAccess() => parser.Parse(AddAccessWithMarkup);

    [Benchmark(Description = "show-access")]
    public ParseOutcome ShowAccessLine() => parser.Parse(ShowAccess);

    [Benchmark(Description = "malformed (misspelt command)")]
    public ParseOutcome MalformedLine() => parser.Parse(Malformed);

    [Benchmark(Description = "4000-char add-access")]
    public ParseOutcome FourThousandChars() => parser.Parse(LongLine);

    private void Expect(string line, bool succeeds)
    {
        var outcome = parser.Parse(line);
        if (outcome.Succeeded != succeeds)
        {
            throw new InvalidOperationException($"sample '{line}' parsed={outcome.Succeeded}, expected {succeeds}: {outcome.Error?.Message}");
        }
    }

    private static string BuildLongLine()
    {
        const string head = "service-token add-access abc123def456";
        const string tail = " --database prod --reason \"";
        var permissions = new[] { "read_branch", "connect_branch", "create_deploy_request", "read_deploy_request" };
        var line = new System.Text.StringBuilder(head);
        var i = 0;
        while (line.Length < 600)
        {
            line.Append(' ').Append(permissions[i++ % permissions.Length]);
        }

        line.Append(tail);
        line.Append('x', ServiceTokenCommandParser.MaxInputLength - line.Length - 1).Append('"');
        return line.ToString();
    }
}
