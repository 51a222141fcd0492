using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Diagnostics;

/// <summary>The parse and policy steps of the pipeline, each in its own span tagged with bounded values only.</summary>
internal static class PipelineSpans
{
    /// <summary>Parses <paramref name="text"/> in a <c>pscalebot.parse</c> span; the text itself is never a tag.</summary>
    public static ParseOutcome Parse(ICommandParser parser, string text)
    {
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.Names.Parse);
        var parse = parser.Parse(text);
        span?.SetTag(BotTelemetry.Names.CommandTag, parse.Command?.PolicyName ?? "unparsed");
        return parse;
    }

    /// <summary>Runs the policy decision in a <c>pscalebot.policy</c> span tagged with the decision's name.</summary>
    public static PolicyDecision Decide(BotCommand command, Func<PolicyDecision> decide)
    {
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.Names.Policy);
        var decision = decide();
        span?.SetTag(BotTelemetry.Names.CommandTag, command.PolicyName);
        span?.SetTag(BotTelemetry.Names.DecisionTag, DecisionWording.Name(decision));
        return decision;
    }
}
