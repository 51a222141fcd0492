using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Rotation;

/// <summary>
/// <c>service-token rotate &lt;OLD_TOKEN_ID&gt; --cancel</c>: calls off a scheduled deletion while it is still waiting.
/// Compare-and-set against the sweeper, so a cancel and a deletion never both happen. Allowed to whoever may rotate
/// that token here (the same policy sub-command), as the rotator may be off shift when the old token turns out needed.
/// </summary>
public sealed class RotationCancellation(ITokenRetirementStore store, TimeProvider time)
{
    private const int StoreRetries = 5;

    /// <summary>Cancels the open deletion of <see cref="RotateTokenCommand.TokenId"/>.</summary>
    public async Task<ExecutionOutcome> CancelAsync(RotateTokenCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < StoreRetries; attempt++)
        {
            var open = await store.FindOpenAsync(context.Organization, command.TokenId, cancellationToken);
            if (open is null)
            {
                var (message, hint) = RotationText.NothingToCancel(command.TokenId);
                return ExecutionOutcome.Fail(new ErrorResult(message, hint, null, ErrorCategory.Usage), "error: nothing to cancel");
            }

            if (open.State == TokenRetirementState.Deleting)
            {
                var (message, hint) = RotationText.TooLateToCancel(open);
                return ExecutionOutcome.Fail(new ErrorResult(message, hint, null, ErrorCategory.Usage), "error: already deleting (" + open.Id + ")");
            }

            if (command.Options.DryRun)
            {
                return new ExecutionOutcome([new MessageResult($"Dry run: would cancel {open.Id}, the deletion of {open.OldTokenId}. Nothing was changed.")], null, "dry-run");
            }

            var cancelled = open with
            {
                State = TokenRetirementState.Cancelled,
                EndedAt = time.GetUtcNow(),
                EndedBy = context.Request.Caller.UserId,
            };
            if (await store.TryUpdateAsync(cancelled, open.Version, cancellationToken))
            {
                return new ExecutionOutcome(
                    [new MessageResult(RotationText.Cancelled(cancelled), MessageTone.Success)],
                    $"{context.Request.Caller.DisplayName} cancelled the deletion of rotated-out token {open.OldTokenId}.",
                    $"ok: cancelled {open.Id}");
            }
        }

        return ExecutionOutcome.Fail(
            new ErrorResult("The scheduled deletion kept changing while it was being cancelled.", "Run the same command again.", null, ErrorCategory.Internal),
            "error: cancel raced");
    }
}
