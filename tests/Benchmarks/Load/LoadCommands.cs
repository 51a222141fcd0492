using System.Globalization;
using System.Text.RegularExpressions;

namespace PscaleBot.Benchmarks.Load;

/// <summary>How a command's answer turned out.</summary>
internal enum Verdict
{
    /// <summary>The answer holds what the command asks for.</summary>
    Correct,
    /// <summary>The server said it was busy and did not run it.</summary>
    Busy,
    /// <summary>A PlanetScale 429 reached the user.</summary>
    RateLimited,
    /// <summary>The policy refused the caller ("you have no role in …"): with a role granted through a user group, a sign the group lookup failed.</summary>
    Denied,
    /// <summary>Anything else: an error, a wrong or empty answer, an HTTP failure.</summary>
    Error,
    /// <summary>No answer before the deadline.</summary>
    Missing,
}

/// <summary>One kind of command of the mix: its text, what a correct answer contains, and whether the ack carries it.</summary>
internal sealed partial record LoadCommand(string Name, string Text, string[] MustContain, bool AnsweredInAck)
{
    /// <summary>True when the bot answers it with a file (a CSV) shared in the user's DM rather than on the response_url.</summary>
    public bool AnswersAsFile => Text.Contains("--format csv", StringComparison.Ordinal);

    /// <summary>The burst's mix, sent round-robin: two lists, two show-access of seeded tokens, and whoami.</summary>
    public static readonly LoadCommand[] Mix =
    [
        new("list", "service-token list", ["ci-deploy", "analytics-readonly"], false),
        new("list csv", "service-token list --format csv", ["ci7deploy0a1", "an4lyt1csro0"], false),
        new("show-access ci-deploy", "service-token show-access ci7deploy0a1", ["create_deploy_request", "staging"], false),
        new("show-access analytics", "service-token show-access an4lyt1csro0", ["connect_branch", "analytics"], false),
        new("whoami", "whoami", [], true),
    ];

    /// <summary>The user ids of the load (U0LOAD000…).</summary>
    public static string User(int index) => string.Create(CultureInfo.InvariantCulture, $"U0LOAD{index:000}");

    /// <summary>Classifies an answer's body (JSON or text) for this command typed by <paramref name="userId"/>.</summary>
    public Verdict Classify(string body, string userId)
    {
        // A read served from the bot's cache while revocations hold the rate budget says so ("PlanetScale's rate limit is
        // busy with revocations …, so this answer comes from the bot's cache"): an answer the issue allows, judged by its
        // content like any other, not counted as a refusal or a 429 because its note says "busy" and "rate limit".
        var fromCache = body.Contains("this answer comes from the bot", StringComparison.Ordinal);
        if (!fromCache && body.Contains("busy", StringComparison.OrdinalIgnoreCase))
        {
            return Verdict.Busy;
        }

        // 429 as a number of its own: a Slack date token (<!date^1796345429^…>) or an id may hold those digits.
        if (!fromCache && (StatusTooManyRequests().IsMatch(body) || body.Contains("rate limit", StringComparison.OrdinalIgnoreCase)
            || body.Contains("rate-limit", StringComparison.OrdinalIgnoreCase) || body.Contains("too many requests", StringComparison.OrdinalIgnoreCase)))
        {
            return Verdict.RateLimited;
        }

        if (body.Contains("no role in", StringComparison.Ordinal))
        {
            return Verdict.Denied;
        }

        var expected = AnsweredInAck ? [userId] : MustContain;
        return expected.All(e => body.Contains(e, StringComparison.Ordinal)) ? Verdict.Correct : Verdict.Error;
    }

    [GeneratedRegex(@"\b429\b")]
    private static partial Regex StatusTooManyRequests();
}
