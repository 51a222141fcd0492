using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PscaleBot.Commands.Diagnostics;

/// <summary>
/// The bot's command and access metrics on the <c>PscaleBot</c> meter (created through <see cref="IMeterFactory"/>).
/// Labels are bounded and never secret: platform, sub-command, outcome class.
/// </summary>
public sealed class BotMetrics
{
    private readonly Counter<long> _commands;
    private readonly Histogram<double> _ack;
    private readonly Histogram<double> _answer;
    private AccessBacklog _backlog = AccessBacklog.Empty;

    // The exporters' default buckets (0, 5, 10, 25 … 10,000) are meant for milliseconds: in seconds every acknowledgement
    // would land in the first one. These bound what operators alert on: Slack's 3 s acknowledgement deadline (and the
    // 50 ms the bot aims for), and the 30 minutes a response_url stays valid.
    private static readonly InstrumentAdvice<double> AckBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    };

    private static readonly InstrumentAdvice<double> AnswerBuckets = new()
    {
        HistogramBucketBoundaries = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
    };

    /// <summary>Creates the instruments.</summary>
    public BotMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BotTelemetry.Name);
        _commands = meter.CreateCounter<long>("pscalebot.commands", "{command}", "Commands answered, by platform, sub-command and outcome.");
        _ack = meter.CreateHistogram("pscalebot.ack.duration", "s", "Time to acknowledge a Slack or Teams HTTP request.", advice: AckBuckets);
        _answer = meter.CreateHistogram("pscalebot.answer.duration", "s", "Time from accepting a command to delivering its answer.", advice: AnswerBuckets);
        meter.CreateObservableGauge("pscalebot.approvals.pending", () => Backlog.PendingApprovals, "{request}", "Access requests waiting for approval.");
        meter.CreateObservableGauge("pscalebot.revocations.due", () => Backlog.RevocationsDue, "{grant}", "Grants past their end that are not revoked yet.");
        meter.CreateObservableGauge("pscalebot.revocations.overdue", () => Backlog.RevocationsOverdue, "{grant}", "Grants past their end by more than the overdue threshold.");
        meter.CreateObservableGauge("pscalebot.revocations.lag", () => Backlog.RevocationLag.TotalSeconds, "s", "How long the oldest due revocation has waited.");
    }

    /// <summary>The last sampled access backlog (what the gauges report).</summary>
    public AccessBacklog Backlog => Volatile.Read(ref _backlog);

    /// <summary>Counts one answered command.</summary>
    public void CommandAnswered(string platform, string command, string outcome) =>
        _commands.Add(1, new TagList
        {
            { BotTelemetry.Names.PlatformTag, platform },
            { BotTelemetry.Names.CommandTag, command },
            { BotTelemetry.Names.OutcomeTag, BotTelemetry.OutcomeClass(outcome) },
        });

    /// <summary>Records an HTTP acknowledgement's latency.</summary>
    public void Acknowledged(string platform, TimeSpan elapsed) =>
        _ack.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(BotTelemetry.Names.PlatformTag, platform));

    /// <summary>Records the time to deliver an answer.</summary>
    public void Answered(string platform, TimeSpan elapsed) =>
        _answer.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(BotTelemetry.Names.PlatformTag, platform));

    /// <summary>Replaces the sampled backlog.</summary>
    public void Sampled(AccessBacklog backlog) => Volatile.Write(ref _backlog, backlog);
}

/// <summary>A sample of the access workflow's backlog.</summary>
/// <param name="PendingApprovals">Requests waiting for approval.</param>
/// <param name="RevocationsDue">Active grants at or past their end.</param>
/// <param name="RevocationsOverdue">Of those, the ones past their end by more than the overdue threshold.</param>
/// <param name="RevocationLag">How long the oldest due grant has been due (zero when none).</param>
public sealed record AccessBacklog(int PendingApprovals, int RevocationsDue, int RevocationsOverdue, TimeSpan RevocationLag)
{
    /// <summary>Nothing pending, nothing due.</summary>
    public static readonly AccessBacklog Empty = new(0, 0, 0, TimeSpan.Zero);
}
