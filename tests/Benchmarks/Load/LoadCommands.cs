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
internal sealed record LoadCommand(string Name, string Text, string[] MustContain, bool AnsweredInAck)
{
    /// <summary>
    /// True when the bot may answer it with a file shared in the user's DM rather than on the response_url: a CSV always,
    /// and a list too long for one message (thousands of tokens, as in the 10,000-grant storm).
    /// </summary>
    public bool MayAnswerAsFile => Text.Contains(" list", StringComparison.Ordinal);

    /// <summary>The extension of the file it would be answered with (the bot names files by format).</summary>
    public string FileExtension => Text.Contains("--format csv", StringComparison.Ordinal) ? "csv" : "txt";

    /// <summary>The seeded tokens the mix lists and shows the access of: ci-deploy, then analytics-readonly.</summary>
    public static readonly string[] SeededTokens = ["ci7deploy0a1", "an4lyt1csro0"];

    /// <summary>The burst's mix, sent round-robin: two lists, two show-access of seeded tokens, and whoami.</summary>
    public static readonly LoadCommand[] Mix =
    [
        new("list", "service-token list", ["ci-deploy", "analytics-readonly"], false),
        new("list csv", "service-token list --format csv", SeededTokens, false),
        new("show-access ci-deploy", $"service-token show-access {SeededTokens[0]}", ["create_deploy_request", "staging"], false),
        new("show-access analytics", $"service-token show-access {SeededTokens[1]}", ["connect_branch", "analytics"], false),
        new("whoami", "whoami", [], true),
    ];

    /// <summary>The user ids of the load (U0LOAD000…).</summary>
    public static string User(int index) => string.Create(CultureInfo.InvariantCulture, $"U0LOAD{index:000}");

    // What a 429 reaching the user looks like: the bot's sentences ("rate-limiting the bot (429; …", "PlanetScale is rate
    // limiting the bot") and the Bolt peer's ("PlanetScale answered 429: {"code":"too_many_requests"…}"). Not a bare
    // "429", which timestamps contain (".429Z"), nor "rate limit" alone, which the bot's note on an answer from its
    // cache says ("PlanetScale's rate limit is busy with revocations…"): that answer is served, and judged by content.
    private static readonly Regex TooManyRequests = new(
        @"\b(answered|HTTP|status)\s*:?\s*429\b|\(429[;)]|too[ _]many[ _]requests|rate[- ]limiting the bot",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Classifies an answer's body (JSON or text) for this command typed by <paramref name="userId"/>.</summary>
    public Verdict Classify(string body, string userId)
    {
        // The bot's refusals ("The bot is busy right now and did not run this…"); the peer never refuses.
        if (body.Contains("is busy right now", StringComparison.Ordinal))
        {
            return Verdict.Busy;
        }

        if (TooManyRequests.IsMatch(body))
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
}
