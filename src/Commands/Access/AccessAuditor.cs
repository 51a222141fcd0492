using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Access;

/// <summary>Names of the audited transitions (the audit entry's <c>Decision</c>).</summary>
public static class AccessTransitions
{
    /// <summary>A request was filed.</summary>
    public const string Requested = "access-requested";
    /// <summary>One approval was given (the request may still need more).</summary>
    public const string Approved = "access-approved";
    /// <summary>Approved automatically because the requester is on call.</summary>
    public const string AutoApproved = "access-auto-approved";
    /// <summary>Denied by an approver.</summary>
    public const string Denied = "access-denied";
    /// <summary>Cancelled by the requester.</summary>
    public const string Cancelled = "access-cancelled";
    /// <summary>Expired unanswered.</summary>
    public const string RequestExpired = "access-request-expired";
    /// <summary>Permissions were granted.</summary>
    public const string Granted = "access-granted";
    /// <summary>Granted under break-glass, without approval.</summary>
    public const string BreakGlass = "access-break-glass";
    /// <summary>A grant got more time.</summary>
    public const string Extended = "access-extended";
    /// <summary>An extension was refused: it would have taken the grant past its max_duration, counted from when it was granted.</summary>
    public const string ExtensionRefused = "access-extension-refused";
    /// <summary>The requester was reminded of the end.</summary>
    public const string Reminded = "access-reminded";
    /// <summary>A person ended a grant early.</summary>
    public const string Revoked = "access-revoked";
    /// <summary>A grant ended on time.</summary>
    public const string Expired = "access-expired";
    /// <summary>A grant or revoke failed at PlanetScale.</summary>
    public const string Failed = "access-failed";
    /// <summary>Real permissions differ from believed ones.</summary>
    public const string Drift = "access-drift";
}

/// <summary>Writes access transitions to <see cref="IAuditLog"/>. An audit failure is logged, never thrown, because the change it records already happened.</summary>
public sealed partial class AccessAuditor(IAuditLog audit, TimeProvider time, ILogger<AccessAuditor> logger)
{
    /// <summary>Records one transition.</summary>
    /// <param name="transition">One of <see cref="AccessTransitions"/>.</param>
    /// <param name="actorId">Who caused it (a user id or <see cref="AccessActors.System"/>).</param>
    /// <param name="platform">The platform concerned.</param>
    /// <param name="place">The place's primary key.</param>
    /// <param name="description">What happened (ids, permissions, resource; never a secret).</param>
    /// <param name="reason">Why, if known.</param>
    /// <param name="outcome"><c>ok</c> or <c>error: …</c>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task RecordAsync(
        string transition,
        string actorId,
        ChatPlatform platform,
        string place,
        string description,
        string? reason,
        string outcome,
        CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(
                new AuditEntry(
                    time.GetUtcNow(),
                    platform.ToString().ToLowerInvariant(),
                    place,
                    actorId,
                    description,
                    transition,
                    reason,
                    outcome,
                    PlanetScaleCallContext.Current?.RequestIds ?? []),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAuditFailed(transition, description, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not audit {Transition} ({Description}): {ExceptionType}")]
    private partial void LogAuditFailed(string transition, string description, string exceptionType);
}
