using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace PscaleBot.Bot.Shell;

/// <summary>
/// The shell's console is a conversation: a log entry is one line, <c>warning: sentence</c>, never an exception's
/// type or stack trace. <c>--debug</c> switches to the standard formatter with full diagnostics.
/// </summary>
public sealed class SentenceConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>The formatter's registered name.</summary>
    public const string FormatterName = "sentences";

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, null);
        if (string.IsNullOrWhiteSpace(message))
        {
            return;
        }

        textWriter.Write(Label(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.WriteLine(message.ReplaceLineEndings(" "));
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => "error",
        LogLevel.Warning => "warning",
        _ => "note",
    };
}
