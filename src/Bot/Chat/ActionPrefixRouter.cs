namespace PscaleBot.Bot.Chat;

/// <summary>
/// Routes a button's action id (Slack <c>action_id</c>, Teams <c>verb</c>) to the handler owning the longest
/// matching prefix, so <c>pscale.access.</c> and a later, more specific <c>pscale.access.extend</c> can coexist.
/// </summary>
/// <typeparam name="THandler">The platform's handler type.</typeparam>
public sealed class ActionPrefixRouter<THandler>
    where THandler : class
{
    private readonly (string Prefix, THandler Handler)[] ordered;

    /// <summary>Orders <paramref name="handlers"/> by the prefix <paramref name="prefixOf"/> gives; empty prefixes never match.</summary>
    public ActionPrefixRouter(IEnumerable<THandler> handlers, Func<THandler, string> prefixOf)
    {
        ordered = [.. handlers.Select(h => (Prefix: prefixOf(h), Handler: h))
            .Where(h => !string.IsNullOrEmpty(h.Prefix))
            .OrderByDescending(h => h.Prefix.Length)];
    }

    /// <summary>The handler for <paramref name="actionId"/>, or null when none owns it.</summary>
    public THandler? Find(string actionId) =>
        ordered.FirstOrDefault(h => actionId.StartsWith(h.Prefix, StringComparison.Ordinal)).Handler;
}
