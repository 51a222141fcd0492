namespace PscaleBot.Bot.Teams.Protocol;

/// <summary>
/// A member as the Bot Connector's roster returns it (<c>GET /v3/conversations/{id}/members/{memberId}</c>): Teams adds
/// the Entra <see cref="Email"/> (mail) and <see cref="UserPrincipalName"/> that activities never carry.
/// </summary>
internal sealed record TeamsChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
    public string? Email { get; init; }
    public string? UserPrincipalName { get; init; }
}
