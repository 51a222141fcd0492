namespace PscaleBot.Commands.Grammar;

/// <summary>The CLI's <c>service-token …</c> commands.</summary>
internal sealed class ServiceTokenCommandBuilder(ParseContext context, ArgumentValidator arguments, FlagValueValidator flags) : ICommandBuilder
{
    /// <inheritdoc />
    public BotCommand? Build(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        switch (spec.PolicyName)
        {
            case "create":
                if (!arguments.NoArguments(spec, args) || !flags.TryName(out var name) || !flags.TryDuration("ttl", out var ttl))
                {
                    return null;
                }

                return new CreateTokenCommand(options, name, ttl);
            case "list":
                return arguments.NoArguments(spec, args) ? new ListTokensCommand(options) : null;
            case "show":
                return arguments.TryTokenId(spec, args, out var showId) ? new ShowTokenCommand(options, showId) : null;
            case "delete":
                return arguments.TryTokenId(spec, args, out var deleteId) ? new DeleteTokenCommand(options, deleteId) : null;
            case "show-access":
                return arguments.TryTokenId(spec, args, out var accessId) ? new ShowAccessCommand(options, accessId) : null;
            case "add-access":
                if (!arguments.TryAccessArguments(spec, args, "add", out var tokenId, out var permissions, out var database)
                    || !flags.TryDuration("for", out var duration)
                    || !flags.TryReason(out var reason))
                {
                    return null;
                }

                return new AddAccessCommand(options, tokenId, permissions, database, duration, reason, context.IsOn("break-glass"));
            case "delete-access":
                if (!arguments.TryAccessArguments(spec, args, "remove", out var removeId, out var removePermissions, out var removeDatabase))
                {
                    return null;
                }

                return new DeleteAccessCommand(options, removeId, removePermissions, removeDatabase);
            case "rotate":
                return BuildRotate(spec, args, options);
            case "stale":
                return arguments.NoArguments(spec, args) && flags.TryDuration("unused-for", out var unusedFor)
                    ? new StaleTokensCommand(options, unusedFor ?? CommandGrammar.StaleDefaultUnusedFor)
                    : null;
            default:
                return context.Fail(ParseMessages.CannotRun(spec));
        }
    }

    private BotCommand? BuildRotate(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        if (!arguments.TryTokenId(spec, args, out var tokenId) || !flags.TryDuration("grace", out var grace))
        {
            return null;
        }

        var cancel = context.IsOn("cancel");
        if (cancel && grace is not null)
        {
            return context.Fail(ParseMessages.CancelTakesNoGrace);
        }

        if (grace is { } given && given > CommandGrammar.RotationMaxGrace)
        {
            return context.Fail(ParseMessages.GraceTooLong(CommandGrammar.RotationMaxGrace));
        }

        return new RotateTokenCommand(options, tokenId, grace ?? CommandGrammar.RotationDefaultGrace, cancel);
    }
}
