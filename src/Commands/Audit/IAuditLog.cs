namespace PscaleBot.Commands.Audit;

/// <summary>
/// One recorded event: a command (allowed or denied) or an access-request transition.
/// Never holds a secret: <see cref="Command"/> is the redacted text.
/// </summary>
/// <param name="Time">When.</param>
/// <param name="Platform">shell, slack or teams.</param>
/// <param name="Place">The place's primary policy key.</param>
/// <param name="UserId">The actor's qualified id.</param>
/// <param name="Command">The command text with secrets redacted, or the transition's description.</param>
/// <param name="Decision">allowed, denied, needs-approval, or the transition name.</param>
/// <param name="Reason">The decision's reason.</param>
/// <param name="Outcome">ok, error: …, dry-run, …</param>
/// <param name="RequestIds">PlanetScale request ids of the calls made.</param>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string Platform,
    string Place,
    string UserId,
    string Command,
    string Decision,
    string? Reason,
    string Outcome,
    IReadOnlyList<string> RequestIds);

/// <summary>Append-only audit store (SQLite by default; PostgreSQL can implement it).</summary>
public interface IAuditLog
{
    /// <summary>Records one entry.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken);
}
