using System.Collections.Concurrent;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// Notices for a person that no route could deliver yet (a lost token secret when even the direct message failed);
/// the platform adds them to that person's next answer. In memory: a restart loses them, and the audit still has
/// the undelivered row.
/// </summary>
public sealed class PendingNotices
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> notices = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="text"/> (never a secret) for <paramref name="person"/>'s next command.</summary>
    public void Add(ChatIdentity person, string text) =>
        notices.GetOrAdd(Key(person), _ => new()).Enqueue(text);

    /// <summary>Takes every notice waiting for <paramref name="person"/>, oldest first.</summary>
    public IReadOnlyList<string> Take(ChatIdentity person)
    {
        if (!notices.TryRemove(Key(person), out var queue))
        {
            return [];
        }

        return [.. queue];
    }

    private static string Key(ChatIdentity person) => $"{person.Platform}|{person.TenantId}|{person.UserId}";
}
