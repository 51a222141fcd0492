using System.Text.Json;

namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>
/// One page of <c>GET /organizations/{org}/audit-log</c> (cursor pagination: pass <see cref="CursorEnd"/> as
/// <c>starting_after</c> for the next, older page while <see cref="HasNext"/>).
/// </summary>
/// <param name="Type">Always <c>list</c>.</param>
/// <param name="HasNext">Whether an older page exists.</param>
/// <param name="HasPrev">Whether a newer page exists.</param>
/// <param name="CursorStart">Id of the first event of this page, or null when empty.</param>
/// <param name="CursorEnd">Id of the last event of this page, or null when empty.</param>
/// <param name="Data">The events, newest first; null only in a malformed answer.</param>
public sealed record AuditLogPageDto(string? Type, bool HasNext, bool HasPrev, string? CursorStart, string? CursorEnd, IReadOnlyList<AuditLogEventDto>? Data);

/// <summary>One audit event as the API sends it (the fields the bot reads).</summary>
/// <param name="Id">The event's id (a cursor).</param>
/// <param name="ActorId">Who did it: a user id or a service token id.</param>
/// <param name="ActorType"><c>User</c> or <c>ServiceToken</c>.</param>
/// <param name="ActorDisplayName">The actor's name.</param>
/// <param name="TargetId">What it was done to (a token id for <c>service_token.*</c>).</param>
/// <param name="TargetType">The target's kind.</param>
/// <param name="TargetDisplayName">The target's name.</param>
/// <param name="Action">The action, e.g. <c>service_token.created</c>.</param>
/// <param name="AuditAction">The action as the audit names it (same as <paramref name="Action"/> in the answers seen).</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Metadata">Details of the change (free-form).</param>
public sealed record AuditLogEventDto(
    string? Id,
    string? ActorId,
    string? ActorType,
    string? ActorDisplayName,
    string? TargetId,
    string? TargetType,
    string? TargetDisplayName,
    string? Action,
    string? AuditAction,
    DateTimeOffset? CreatedAt,
    JsonElement? Metadata);
