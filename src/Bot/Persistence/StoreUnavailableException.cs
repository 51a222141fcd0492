namespace PscaleBot.Bot.Persistence;

/// <summary>
/// A store the bot needs cannot be reached or used right now (the database is down, restarting or failing over).
/// Callers fail closed: they change nothing and answer <see cref="UserSentence"/>. The message says why for an
/// operator and never holds a connection string or password.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception innerException) : Exception(message, innerException)
{
    /// <summary>What a person who sent a command is told: nothing was changed, and try again.</summary>
    public const string UserSentence =
        "The bot's database is temporarily unavailable, so nothing was changed. Please try again in a minute; if it persists, tell the bot's operators.";
}
