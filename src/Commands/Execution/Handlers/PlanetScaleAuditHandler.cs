using Microsoft.Extensions.Options;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary>
/// <c>audit --source planetscale</c>: the newest service-token events of PlanetScale's audit log, in the same table as the
/// bot's own audit. The decision column says whether the bot's own credential made the change (<c>by the bot</c>) or
/// someone else did (<c>outside the bot</c>): the changes no bot audit row explains.
/// </summary>
public sealed class PlanetScaleAuditHandler(IPlanetScaleService planetScale, IOptions<PlanetScaleOptions> options) : ICommandHandler<PlanetScaleAuditCommand>
{
    /// <summary>The decision shown for an event the bot's credential made.</summary>
    public const string ByTheBot = "by the bot";

    /// <summary>The decision shown for an event anyone else made.</summary>
    public const string OutsideTheBot = "outside the bot";

    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(PlanetScaleAuditCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var events = await planetScale.ListServiceTokenEventsAsync(context.Organization, command.Limit, cancellationToken);
        CommandResult result = events.Count == 0 && command.Options.Format == OutputFormat.Human
            ? new MessageResult($"PlanetScale's audit log of {context.Organization} has no service-token events.")
            : new AuditTable([.. events.Select(e => ToEntry(e, context.Organization))]);
        return new ExecutionOutcome([result], null, "ok");
    }

    private AuditEntry ToEntry(PlanetScaleAuditEvent e, string organization)
    {
        var byBot = e.ActorType == "ServiceToken" && e.ActorId is { } actor && actor == options.Value.ServiceTokenId;
        var target = e.TokenName is { } name && name != e.TokenId ? $"{e.TokenId} ({name})" : e.TokenId;
        var text = string.Join(' ', new[] { e.Action, target }.Concat(e.Details).Where(p => !string.IsNullOrEmpty(p)));
        var who = $"planetscale:{(e.ActorType ?? "unknown").ToLowerInvariant()}:{e.ActorId}" + (e.ActorName is { Length: > 0 } n ? $" ({n})" : "");
        return new AuditEntry(
            e.Time, "planetscale", "planetscale:org:" + organization, SecretRedactor.Redact(who), SecretRedactor.Redact(text),
            byBot ? ByTheBot : OutsideTheBot, null, "ok", [e.Id]);
    }
}
