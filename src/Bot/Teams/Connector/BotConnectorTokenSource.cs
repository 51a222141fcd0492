using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace PscaleBot.Bot.Teams.Connector;

/// <summary>Bearer tokens for calls to the Bot Connector.</summary>
public interface IBotConnectorTokenSource
{
    /// <summary>A current access token for the connector scope.</summary>
    Task<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Client-credentials tokens from Entra through MSAL. One confidential client for the app's lifetime
/// so MSAL's in-memory cache serves repeat calls; the authority is the bot's own tenant, which
/// single-tenant bots require (AADSTS700016 otherwise).
/// </summary>
internal sealed class MsalBotConnectorTokenSource(IOptions<TeamsOptions> options) : IBotConnectorTokenSource
{
    private readonly Lazy<IConfidentialClientApplication> client = new(() =>
    {
        var settings = options.Value;
        return ConfidentialClientApplicationBuilder.Create(settings.AppId)
            .WithAuthority($"{settings.LoginAuthorityHost.TrimEnd('/')}/{settings.AppTenantId}")
            .WithClientSecret(settings.AppPassword)
            .Build();
    });

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await client.Value.AcquireTokenForClient([options.Value.ConnectorScope]).ExecuteAsync(cancellationToken);
            return result.AccessToken;
        }
        catch (MsalException ex)
        {
            // MSAL messages name the app and tenant but never the secret; keep only the error code.
            throw new BotConnectorException($"Could not get a Bot Connector token from Entra ({ex.ErrorCode}). Check Teams:AppId, Teams:AppPassword and Teams:AppTenantId.", null, ex);
        }
    }
}
