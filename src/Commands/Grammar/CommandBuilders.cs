namespace PscaleBot.Commands.Grammar;

/// <summary>Makes the <see cref="BotCommand"/> of one family from its arguments, once the command and common flags are known.</summary>
internal interface ICommandBuilder
{
    /// <summary>The command <paramref name="spec"/> with <paramref name="args"/>; null when they are wrong (the error is in the context).</summary>
    BotCommand? Build(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options);
}

/// <summary>Picks the builder of a command's family.</summary>
internal static class CommandBuilders
{
    /// <summary>Builds <paramref name="spec"/> with the builder of its family, reporting problems to <paramref name="context"/>.</summary>
    public static BotCommand? Build(ParseContext context, CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        var arguments = new ArgumentValidator(context);
        var flags = new FlagValueValidator(context);
        ICommandBuilder builder = spec.Family switch
        {
            CommandFamily.ServiceToken => new ServiceTokenCommandBuilder(context, arguments, flags),
            CommandFamily.Access => new AccessCommandBuilder(context, arguments, flags),
            _ => new BotOwnCommandBuilder(context, arguments, flags),
        };
        return builder.Build(spec, args, options);
    }
}
