using System.Diagnostics;

namespace PscaleBot.Commands.Diagnostics;

/// <summary>
/// The bot's own trace source and the names shared by its spans, meter and tags. Tags hold only bounded, non-secret
/// values (platform, sub-command, decision, outcome): never command text, user-typed words, ids of people or tokens.
/// </summary>
public static class BotTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the meter (<c>PscaleBot</c>).</summary>
    public const string Name = "PscaleBot";

    /// <summary>Spans for parse, policy, execute and reply delivery.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>Span and tag names.</summary>
    public static class Names
    {
        /// <summary>The background answer of one command (parent of parse, policy, execute, reply).</summary>
        public const string Answer = "pscalebot.answer";

        /// <summary>Reading the command text.</summary>
        public const string Parse = "pscalebot.parse";

        /// <summary>The policy decision.</summary>
        public const string Policy = "pscalebot.policy";

        /// <summary>Running the command against PlanetScale and the stores.</summary>
        public const string Execute = "pscalebot.execute";

        /// <summary>Delivering the answer to the chat platform.</summary>
        public const string Reply = "pscalebot.reply";

        /// <summary>Tag: <c>slack</c>, <c>teams</c>, <c>shell</c>.</summary>
        public const string PlatformTag = "pscalebot.platform";

        /// <summary>Tag: the sub-command's policy name (<c>create</c>, <c>list</c>, …) or <c>unparsed</c>.</summary>
        public const string CommandTag = "pscalebot.command";

        /// <summary>Tag: <c>allowed</c>, <c>needs-approval</c>, <c>denied</c>.</summary>
        public const string DecisionTag = "pscalebot.decision";

        /// <summary>Tag: the outcome class (<c>ok</c>, <c>denied</c>, <c>error</c>, …).</summary>
        public const string OutcomeTag = "pscalebot.outcome";
    }

    /// <summary>
    /// The class of an audit outcome, safe as a tag: the word before a colon (<c>error: usage</c> → <c>error</c>),
    /// and <c>other</c> for anything that is not one short lower-case word, so no free text becomes a label.
    /// </summary>
    public static string OutcomeClass(string outcome)
    {
        var head = outcome.Split(':', 2)[0].Trim();
        return head.Length is > 0 and <= 24 && head.All(c => c is (>= 'a' and <= 'z') or '-' or '_') ? head : "other";
    }
}
