using System.Collections.Concurrent;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace PscaleBot.Bot.Teams.Auth;

/// <summary>
/// One cached <see cref="ConfigurationManager{T}"/> per metadata URL, for the life of the app, so signing
/// keys are fetched once and refreshed on IdentityModel's schedule or when a token names an unknown key.
/// </summary>
internal sealed class OpenIdMetadataSource(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "TeamsOpenIdMetadata";

    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> managers = new(StringComparer.Ordinal);

    public IConfigurationManager<OpenIdConnectConfiguration> For(string metadataUrl) =>
        managers.GetOrAdd(metadataUrl, url =>
        {
            var uri = new Uri(url);
            var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName))
            {
                // Plain http is tolerated only for a loopback metadata server (tests); options validation enforces it.
                RequireHttps = !TeamsOptionsValidator.IsLoopback(uri),
            };
            return new ConfigurationManager<OpenIdConnectConfiguration>(url, new OpenIdConnectConfigurationRetriever(), retriever);
        });
}
