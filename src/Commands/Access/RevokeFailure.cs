using System.Data.Common;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Why a revocation failed, in words kept on the grant (<see cref="AccessGrant.LastError"/>), logged and shown to
/// approvers: never a stack trace, and never an exception's own message unless it is known to be safe.
/// </summary>
public static class RevokeFailure
{
    /// <summary>The words for <paramref name="exception"/>.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PlanetScaleApiException api => api.Message,
        // The bot's store failed mid-revocation (PostgreSQL restarting, a full disk): the type and SQLSTATE say which
        // without quoting a server message.
        DbException db => $"the bot's own database failed ({DatabaseFailure.Name(db)}); the revocation is tried again",
        TimeoutException => "a call timed out; the revocation is tried again",
        _ => $"unexpected {exception.GetType().Name}",
    };
}
