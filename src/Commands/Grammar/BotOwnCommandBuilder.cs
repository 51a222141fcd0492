namespace PscaleBot.Commands.Grammar;

/// <summary>The bot's own commands beyond <c>help</c> (which the parser answers before building).</summary>
internal sealed class BotOwnCommandBuilder(ParseContext context, ArgumentValidator arguments, FlagValueValidator flags) : ICommandBuilder
{
    /// <inheritdoc />
    public BotCommand? Build(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options) => spec.PolicyName switch
    {
        "whoami" => arguments.NoArguments(spec, args) ? new WhoAmICommand(options) : null,
        "audit" => arguments.NoArguments(spec, args) && flags.TryLimit(out var limit) && TrySource(out var planetScale)
            ? planetScale ? new PlanetScaleAuditCommand(options, limit) : new AuditCommand(options, limit)
            : null,
        "audit-verify" => arguments.NoArguments(spec, args) ? new AuditVerifyCommand(options) : null,
        _ => context.Fail(ParseMessages.CannotRun(spec)),
    };

    // audit --source: bot (the default) or planetscale.
    private bool TrySource(out bool planetScale)
    {
        planetScale = false;
        if (!context.TryGetValue("source", out var source))
        {
            return true;
        }

        switch (source.ToLowerInvariant())
        {
            case "bot":
                return true;
            case "planetscale":
                planetScale = true;
                return true;
            default:
                context.Fail($"invalid value `{ParseMessages.Shorten(source)}` for `--source`: use `bot` or `planetscale`");
                return false;
        }
    }
}
