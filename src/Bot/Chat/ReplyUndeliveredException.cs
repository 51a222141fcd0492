namespace PscaleBot.Bot.Chat;

/// <summary>
/// Thrown by an <see cref="IChatReplyTransport{TTarget}"/> when a reply still could not be delivered after every
/// route it may safely retry. <see cref="Exception.Message"/> is the reason, for the audit: never a secret.
/// </summary>
public sealed class ReplyUndeliveredException : Exception
{
    /// <summary>Creates the exception with a secret-free <paramref name="reason"/>.</summary>
    public ReplyUndeliveredException(string reason)
        : base(reason)
    {
    }

    /// <summary>Creates the exception with a secret-free <paramref name="reason"/> and its cause.</summary>
    public ReplyUndeliveredException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }

    /// <summary>Creates the exception with a generic reason.</summary>
    public ReplyUndeliveredException()
        : base("the reply could not be delivered")
    {
    }
}
