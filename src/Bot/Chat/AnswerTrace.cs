using System.Diagnostics;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Execution;

namespace PscaleBot.Bot.Chat;

/// <summary>What a queued answer carries for telemetry: the inbound request's span and when the work was queued.</summary>
/// <param name="Parent">The span of the request that queued the work (default when none).</param>
/// <param name="Time">The clock that measures the time to answer.</param>
public sealed record AnswerTrace(ActivityContext Parent, TimeProvider Time)
{
    private readonly long _queuedAt = Time.GetTimestamp();

    /// <summary>Records the time to answer, by platform, once the answer is delivered.</summary>
    public void Delivered(IServiceProvider services, PreparedCommand? command) =>
        services.GetService<BotMetrics>()?.Answered(
            command is null ? "unknown" : CommandAuditRecorder.PlatformName(command.Request.Caller.Platform),
            Time.GetElapsedTime(_queuedAt));
}
