using System.Text.Json;
using PscaleBot.Commands.PlanetScale.Api;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>PlanetScale's audit log: cursor pages, filtered to service-token events.</summary>
public sealed partial class PlanetScaleService
{
    /// <summary>Events per page asked for: the API's maximum, so a filtered read takes few calls.</summary>
    private const int AuditPageSize = 100;

    /// <summary>The prefix of the actions about service tokens.</summary>
    public const string ServiceTokenActionPrefix = "service_token.";

    /// <inheritdoc />
    /// <remarks>
    /// Not shared through the read cache: a change to one token drops only that token's cached answers, so a cached log
    /// could miss the change just made; the log is asked for rarely and must be current.
    /// </remarks>
    public Task<IReadOnlyList<PlanetScaleAuditEvent>> ListServiceTokenEventsAsync(string organization, int limit, CancellationToken cancellationToken) =>
        CallAsync(PlanetScaleOperation.ListAuditLog(organization), async ct =>
        {
            var events = new List<PlanetScaleAuditEvent>();
            string? cursor = null;
            for (var page = 0; page < options.MaxPages && events.Count < limit; page++)
            {
                var answer = await api.ListAuditLogAsync(organization, cursor, AuditPageSize, ct).ConfigureAwait(false);
                if (answer.Data is null)
                {
                    throw new PlanetScaleAnswerException("the audit log page had no `data`");
                }

                events.AddRange(answer.Data
                    .Where(e => (e.Action ?? e.AuditAction ?? "").StartsWith(ServiceTokenActionPrefix, StringComparison.Ordinal))
                    .Select(ToAuditEvent));
                // A page whose cursor does not move would loop: stop there rather than ask for it again.
                if (!answer.HasNext || answer.CursorEnd is null || answer.CursorEnd == cursor)
                {
                    break;
                }

                cursor = answer.CursorEnd;
            }

            return (IReadOnlyList<PlanetScaleAuditEvent>)[.. events.Take(limit)];
        }, cancellationToken);

    private static PlanetScaleAuditEvent ToAuditEvent(AuditLogEventDto e) => new(
        e.Id ?? "",
        e.CreatedAt ?? DateTimeOffset.MinValue,
        e.Action ?? e.AuditAction ?? "",
        e.ActorId,
        e.ActorType,
        e.ActorDisplayName,
        e.TargetId,
        e.TargetDisplayName,
        Details(e.Metadata));

    private static IReadOnlyList<string> Details(JsonElement? metadata) =>
        metadata is { ValueKind: JsonValueKind.Object } m
            ? [.. m.EnumerateObject().Select(p => $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}").Order(StringComparer.Ordinal)]
            : [];
}
