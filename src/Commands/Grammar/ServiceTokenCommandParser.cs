using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Parses chat text with the <c>pscale service-token</c> CLI grammar plus the bot's own commands
/// (<c>help</c>, <c>whoami</c>, <c>audit</c>, <c>access …</c>). Never throws; every failure is a
/// <see cref="ParseError"/> worded for a person, carrying the usage line of the command concerned.
/// Credentials are never taken from chat, and secrets never reach a command, an error or the
/// redacted text.
/// </summary>
public sealed class ServiceTokenCommandParser : ICommandParser
{
    /// <summary>Longest input read, in characters; longer input is refused without being parsed.</summary>
    public const int MaxInputLength = 4000;

    /// <inheritdoc />
    public ParseOutcome Parse(string text)
    {
        try
        {
            return ParseUnguarded(text);
        }
        catch (Exception)
        {
            // Unreachable by design (the property tests drive ParseUnguarded directly); if it ever
            // happens, answer without echoing anything the person typed.
            var raw = text ?? string.Empty;
            return new ParseOutcome(
                null,
                new ParseError(ParseMessages.Unreadable, CommandGrammar.GeneralUsage),
                SecretRedactor.Placeholder,
                SecretRedactor.ContainsSecret(raw));
        }
    }

    /// <summary>The parse itself, without the last-resort guard (tests call it so that a bug throws).</summary>
    internal static ParseOutcome ParseUnguarded(string? text)
    {
        var raw = text ?? string.Empty;
        var exposed = SecretRedactor.ContainsSecret(raw);

        if (raw.Length > MaxInputLength)
        {
            // Redact before cutting, so a secret straddling the cut leaves no piece behind.
            var whole = ChatTextNormalizer.Normalize(raw);
            exposed |= SecretRedactor.ContainsSecret(whole);
            var redactedWhole = SecretRedactor.Redact(whole);
            var head = redactedWhole.Length <= MaxInputLength ? redactedWhole : redactedWhole[..MaxInputLength];
            var error = new ParseError(
                ParseMessages.TooLong(raw.Length, MaxInputLength),
                CommandGrammar.GeneralUsage);
            return new ParseOutcome(null, error, $"{head} …[{raw.Length - MaxInputLength} more characters not kept]", exposed);
        }

        // Normalize returns the received string itself when nothing needed undoing (most lines): then every scan
        // of the normalised line would repeat the one of the raw line, and is skipped.
        var normalized = ChatTextNormalizer.Normalize(raw);
        var same = ReferenceEquals(normalized, raw);
        exposed |= !same && SecretRedactor.ContainsSecret(normalized);
        var redacted = SecretRedactor.Redact(normalized);

        var session = new ParseSession(normalized, raw);
        var command = session.Run();
        var failure = session.Error;

        if (failure is null && command is null)
        {
            failure = new ParseError(ParseMessages.UnreadableNoReason, CommandGrammar.GeneralUsage);
        }

        // A secret anywhere in the line stops it, whatever else was wrong: a command carrying it would
        // take it into the audit log, an approval card or an announcement.
        if (!session.ReportedSecret && (SecretRedactor.ContainsTokenSecret(raw) || (!same && SecretRedactor.ContainsTokenSecret(normalized))))
        {
            command = null;
            failure = new ParseError(
                ParseMessages.SecretInMessage,
                failure?.Usage ?? session.Usage,
                failure?.SubCommand ?? session.SubCommand);
        }

        if (failure is not null)
        {
            // Belt and braces: no error text may carry a secret, whatever path produced it.
            failure = failure with
            {
                Message = SecretRedactor.Redact(failure.Message),
                Usage = SecretRedactor.Redact(failure.Usage),
            };
            return new ParseOutcome(null, failure, redacted, exposed);
        }

        return new ParseOutcome(command, null, redacted, exposed);
    }
}
