namespace PscaleBot.Bot.Chat;

/// <summary>
/// Remembers delivery keys for a while, so a re-delivered command, envelope, click or activity (and a double
/// submit of the same change) runs once, whichever replica receives it. Keys are platform-qualified
/// (<c>slack:…</c>, <c>teams:…</c>) because one store serves every platform. The durable ledgers decide with an
/// insert under a unique key, so two replicas on one database cannot both record the same key.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>
    /// Records <paramref name="key"/>; false when it was already recorded less than <paramref name="window"/> ago. Throws
    /// <see cref="Persistence.StoreUnavailableException"/> when the store cannot tell: the caller runs nothing.
    /// </summary>
    ValueTask<bool> TryRecordAsync(string key, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Forgets <paramref name="key"/>, so a delivery whose work could not even be queued can be tried again.</summary>
    ValueTask ForgetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the keys whose window has passed; how many. Recording also purges now and then.</summary>
    ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken);
}
