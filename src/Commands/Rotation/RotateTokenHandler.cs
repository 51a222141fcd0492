using System.Security.Cryptography;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Rotation;

/// <summary>
/// <c>service-token rotate</c>: reads the old token and its grants, checks that the caller's role may hand out every
/// one of them, creates the replacement with the same name and lifetime, copies the grants, and records the old
/// token's deletion for when the grace ends (<see cref="TokenRetirementSweeper"/>). The new secret travels only in a
/// <see cref="TokenTableKind.Created"/> table, which the reply plan shows to the requester alone. A copy that fails
/// halfway schedules nothing and says exactly what the new token holds.
/// </summary>
public sealed class RotateTokenHandler(
    IPlanetScaleService planetScale,
    GrantCopy copy,
    ITokenRetirementStore store,
    IAccessStore accessStore,
    IAuthorizationPolicy policy,
    RotationCancellation cancellation,
    TokenRetirementWake wake,
    TimeProvider time) : ICommandHandler<RotateTokenCommand>
{
    /// <summary>Prefix of scheduled-deletion ids.</summary>
    public const string IdPrefix = "d-";

    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(RotateTokenCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        if (command.Cancel)
        {
            return await cancellation.CancelAsync(command, context, cancellationToken);
        }

        var organization = context.Organization;
        var old = await planetScale.GetTokenAsync(organization, command.TokenId, cancellationToken);
        var grants = (await planetScale.GetGrantsAsync(organization, command.TokenId, cancellationToken))
            .Where(g => g.Permissions.Count > 0).ToList();
        if (Refusal(command, context, grants) is { } refused)
        {
            return refused;
        }

        // A time-bound grant lives on the old token only; copied, it would become permanent on the new one.
        var timeBound = await accessStore.ListActiveGrantsOnTokenAsync(organization, command.TokenId, cancellationToken);
        if (timeBound.Count > 0)
        {
            var (message, hint) = RotationText.HasTimeBoundGrants(command.TokenId, [.. timeBound.Select(g => g.Id)]);
            return ExecutionOutcome.Fail(new ErrorResult(message, hint, null, ErrorCategory.Usage), "error: time-bound grants active");
        }

        if (await store.FindOpenAsync(organization, command.TokenId, cancellationToken) is { } open)
        {
            var (message, hint) = RotationText.AlreadyScheduled(open);
            return ExecutionOutcome.Fail(new ErrorResult(message, hint, null, ErrorCategory.Usage), "error: already rotated (" + open.Id + ")");
        }

        var ttl = TtlOf(old);
        if (command.Options.DryRun)
        {
            return new ExecutionOutcome([new MessageResult(RotationText.DryRun(old, ttl, grants, time.GetUtcNow() + command.Grace))], null, "dry-run");
        }

        context.MarkChangeSent();
        ServiceToken created;
        try
        {
            created = await planetScale.CreateTokenAsync(organization, old.Name, ttl, cancellationToken);
        }
        catch (PlanetScaleApiException ex)
        {
            var (message, hint) = RotationText.CreateFailed(old.Id, old.Name, ex);
            return ExecutionOutcome.Fail(new ErrorResult(message, hint, null, ErrorCategory.Api), PlanetScaleFailures.Outcome(ex) + " creating the new token");
        }

        var report = await copy.CopyAsync(organization, created.Id, grants, cancellationToken);
        var secretTable = new TokenTable(organization, TokenTableKind.Created, [created]);
        var held = new PermissionTable(organization, created.Id, [.. report.Copied.Select(g =>
            new PermissionRow(g.ResourceName, g.ResourceKind, [.. g.Permissions.Select(p => new PermissionEntry(p, PermissionChange.Added))]))]);
        if (!report.Complete)
        {
            var (message, hint) = RotationText.Partial(old.Id, created.Id, report);
            return new ExecutionOutcome(
                [secretTable, held, new ErrorResult(message, hint, null, ErrorCategory.Api)], null, RotationText.PartialOutcome(created.Id, report));
        }

        return await ScheduleAsync(command, context, old, created, grants.Count, [secretTable, held], cancellationToken);
    }

    private async Task<ExecutionOutcome> ScheduleAsync(
        RotateTokenCommand command, CommandContext context, ServiceToken old, ServiceToken created, int grants,
        List<CommandResult> results, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retirement = new TokenRetirement(
            IdPrefix + RandomNumberGenerator.GetString(AccessIdGenerator.Alphabet, 8), context.Organization, old.Id, created.Id, old.Name,
            AccessRequester.From(context.Request), now, now + command.Grace);
        try
        {
            await store.InsertAsync(retirement, cancellationToken);
            wake.Signal();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (message, hint) = RotationText.NotScheduled(old.Id, created.Id, grants);
            results.Add(new ErrorResult(message, hint, null, ErrorCategory.Internal));
            return new ExecutionOutcome(results, null, RotationText.NotScheduledOutcome(created.Id, grants) + " (" + ex.GetType().Name + ")");
        }

        results.Add(new MessageResult(RotationText.Rotated(old.Id, created.Id, grants, retirement), MessageTone.Warning));
        return new ExecutionOutcome(
            results,
            RotationText.Announcement(context.Request.Caller.DisplayName, old.Id, created.Id, retirement),
            RotationText.RotatedOutcome(created.Id, grants, retirement));
    }

    // Every grant is asked about as its own scope: the role that allows `rotate` must also allow that database and
    // those permissions, so a rotator never receives a secret for more than they could have granted themselves.
    private ExecutionOutcome? Refusal(RotateTokenCommand command, CommandContext context, IReadOnlyList<TokenGrant> grants)
    {
        foreach (var grant in grants)
        {
            var scoped = command with { Scope = new RotationScope(GrantCopy.DatabaseOf(grant), grant.Permissions) };
            if (policy.Authorize(context.Request.Caller, context.Request.Place, scoped, context.Organization) is PolicyDecision.Denied denied)
            {
                var (message, hint) = RotationText.NotAllowed(command.TokenId, grant, denied.Reason);
                return ExecutionOutcome.Fail(new ErrorResult(message, hint, null, ErrorCategory.Denied), "denied: " + RotationText.Describe(grant));
            }
        }

        return null;
    }

    // PlanetScale keeps no TTL, only the expiry: the original lifetime is expiry minus creation, in whole seconds.
    private static TimeSpan? TtlOf(ServiceToken token) =>
        token.ExpiresAt is { } expires && expires > token.CreatedAt
            ? TimeSpan.FromSeconds(Math.Ceiling((expires - token.CreatedAt).TotalSeconds))
            : null;
}
