namespace PscaleBot.Commands.Grammar;

/// <summary>The bot's own commands beyond <c>help</c> (which the parser answers before building).</summary>
internal sealed class BotOwnCommandBuilder(ParseContext context, ArgumentValidator arguments, FlagValueValidator flags) : ICommandBuilder
{
    /// <inheritdoc />
    public BotCommand? Build(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options) => spec.PolicyName switch
    {
        "whoami" => arguments.NoArguments(spec, args) ? new WhoAmICommand(options) : null,
        "audit" => arguments.NoArguments(spec, args) && flags.TryLimit(out var limit) ? new AuditCommand(options, limit) : null,
        "audit-verify" => arguments.NoArguments(spec, args) ? new AuditVerifyCommand(options) : null,
        _ => context.Fail(ParseMessages.CannotRun(spec)),
    };
}
