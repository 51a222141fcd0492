using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace PscaleBot.Bot.Teams.Identity;

/// <summary>
/// App-only Microsoft Graph tokens from Entra through MSAL (client credentials). One confidential client for the
/// app's lifetime so MSAL's in-memory cache serves repeat calls. Its HTTP goes through the named
/// <see cref="EntraGroupExtensions.HttpClientName"/> client, so proxies and tests configure it in one place.
/// </summary>
internal sealed class GraphTokenSource(IOptions<TeamsOptions> teams, IOptions<EntraGroupOptions> options, IHttpClientFactory http)
{
    private readonly Lazy<IConfidentialClientApplication> client = new(() =>
    {
        var app = teams.Value;
        return ConfidentialClientApplicationBuilder.Create(app.AppId)
            .WithAuthority($"{options.Value.AuthorityHost.TrimEnd('/')}/{app.AppTenantId}")
            // The authority is configured, not discovered: no call to login.microsoftonline.com's instance metadata.
            .WithInstanceDiscovery(false)
            .WithClientSecret(app.AppPassword)
            .WithHttpClientFactory(new NamedMsalHttpClientFactory(http))
            .Build();
    });

    /// <summary>A current Graph access token.</summary>
    /// <exception cref="EntraGraphException">Entra refused or could not be reached; the message holds no secret.</exception>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await client.Value.AcquireTokenForClient([options.Value.GraphScope]).ExecuteAsync(cancellationToken);
            return result.AccessToken;
        }
        catch (MsalException ex)
        {
            // MSAL messages may echo request details; only the error code is kept.
            throw new EntraGraphException($"token request refused by Entra ({ex.ErrorCode})");
        }
    }

    private sealed class NamedMsalHttpClientFactory(IHttpClientFactory http) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => http.CreateClient(EntraGroupExtensions.HttpClientName);
    }
}

/// <summary>A Graph or token failure, worded for the log; never carries a secret.</summary>
public sealed class EntraGraphException(string message) : Exception(message);
