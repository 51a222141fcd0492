namespace PscaleBot.Commands.Grammar;

/// <summary>Turns a line of chat text into a <see cref="BotCommand"/> or a <see cref="ParseError"/>. Never throws.</summary>
public interface ICommandParser
{
    /// <summary>Parses one line as typed in chat (markup, entities and quotes still in it).</summary>
    ParseOutcome Parse(string text);
}

/// <summary>What the parser made of a line.</summary>
/// <param name="Command">The command, when the line parsed.</param>
/// <param name="Error">Why it did not, when it did not.</param>
/// <param name="RedactedText">The input with every secret-shaped value replaced; the only form that may be logged or audited.</param>
/// <param name="ExposedSecret">True when the input contained a token secret (<c>pscale_tkn_…</c>) or a credential flag value: warn the caller privately.</param>
public sealed record ParseOutcome(BotCommand? Command, ParseError? Error, string RedactedText, bool ExposedSecret)
{
    /// <summary>True when <see cref="Command"/> is set.</summary>
    public bool Succeeded => Command is not null;
}

/// <summary>A parse failure worded for a person.</summary>
/// <param name="Message">What was wrong and what to type instead.</param>
/// <param name="Usage">The usage line of the sub-command concerned, or of the whole tool.</param>
/// <param name="SubCommand">The sub-command concerned, when known.</param>
public sealed record ParseError(string Message, string Usage, string? SubCommand = null);
