using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// A Teams user's addresses for on-call matching: their Entra mail and user principal name, read from the Bot
/// Connector's roster (<c>GET /v3/conversations/{id}/members/{aad object id}</c>), since activities carry only the
/// object id. The roster is read in the user's 1:1 chat with the bot, opened first if the bot has never had one, as
/// the private notices do.
/// </summary>
internal sealed class TeamsChatEmailDirectory(TeamsConversationDirectory conversations, IServiceScopeFactory scopes) : IChatEmailDirectory
{
    private const string UserPrefix = "teams:user:";

    /// <inheritdoc />
    public ChatPlatform Platform => ChatPlatform.Teams;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindEmailsAsync(ChatIdentity who, CancellationToken cancellationToken)
    {
        if (!who.UserId.StartsWith(UserPrefix, StringComparison.OrdinalIgnoreCase)
            || await conversations.FindUserAsync(who.UserId, cancellationToken) is not { } user)
        {
            return [];
        }

        // The connector is a typed HttpClient (transient); this directory lives as long as the roster that asks it.
        await using var scope = scopes.CreateAsyncScope();
        var connector = scope.ServiceProvider.GetRequiredService<IBotConnectorClient>();
        var chat = user.ConversationId.Length > 0
            ? user
            : user with { ConversationId = await connector.CreatePersonalConversationAsync(user, cancellationToken) };
        var member = await connector.GetMemberAsync(chat, who.UserId[UserPrefix.Length..], cancellationToken);
        return member is null
            ? []
            : new[] { member.Email, member.UserPrincipalName }
                .Where(a => a is { Length: > 0 } && a.Contains('@', StringComparison.Ordinal))
                .Select(a => a!.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
    }
}
