namespace PscaleBot.Commands.Grammar;

/// <summary>The <c>access …</c> commands: requests and time-bound grants.</summary>
internal sealed class AccessCommandBuilder(ParseContext context, ArgumentValidator arguments, FlagValueValidator flags) : ICommandBuilder
{
    /// <inheritdoc />
    public BotCommand? Build(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        switch (spec.PolicyName)
        {
            case "access-list":
                return arguments.NoArguments(spec, args) ? new AccessListCommand(options) : null;
            case "access-approve":
                return RequestId(spec, args, out var approveId) ? new AccessApproveCommand(options, approveId) : null;
            case "access-deny":
                return RequestId(spec, args, out var denyId) && flags.TryReason(out var denyReason)
                    ? new AccessDenyCommand(options, denyId, denyReason)
                    : null;
            case "access-revoke":
                return GrantId(spec, args, out var revokeId) ? new AccessRevokeCommand(options, revokeId) : null;
            case "access-extend":
                return BuildExtend(spec, args, options);
            case "access-cancel":
                return RequestId(spec, args, out var cancelId) ? new AccessCancelCommand(options, cancelId) : null;
            default:
                return context.Fail(ParseMessages.CannotRun(spec));
        }
    }

    private BotCommand? BuildExtend(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        if (!GrantId(spec, args, out var grantId))
        {
            return null;
        }

        if (!context.TryGetValue("for", out _))
        {
            return context.Fail(ParseMessages.ExtendNeedsFor);
        }

        if (!flags.TryDuration("for", out var duration) || !flags.TryReason(out var reason))
        {
            return null;
        }

        return new AccessExtendCommand(options, grantId, duration!.Value, reason);
    }

    private bool RequestId(CommandSpec spec, IReadOnlyList<string> args, out string id) =>
        arguments.TryRecordId(spec, args, "REQUEST_ID", "request", out id);

    private bool GrantId(CommandSpec spec, IReadOnlyList<string> args, out string id) =>
        arguments.TryRecordId(spec, args, "GRANT_ID", "grant", out id);
}
