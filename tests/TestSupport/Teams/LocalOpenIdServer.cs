using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>
/// A loopback OpenID provider with its own RSA keys: Bot Framework metadata (keys with endorsements) at
/// /botframework/… and Entra metadata at /{tenant}/v2.0/…, plus a token minter for both families.
/// </summary>
public sealed class LocalOpenIdServer : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string TenantId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private readonly WebApplication app;
    private readonly List<(RsaSecurityKey Key, string[]? Endorsements, bool Entra)> published = [];

    private LocalOpenIdServer(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";
    public string BotFrameworkMetadataUrl => $"{BaseUrl}/botframework/.well-known/openidconfiguration";
    public string EntraMetadataTemplate => $"{BaseUrl}/{{tenantId}}/v2.0/.well-known/openid-configuration";
    public RsaSecurityKey BotFrameworkKey { get; private set; } = null!;
    public RsaSecurityKey EntraKey { get; private set; } = null!;
    public int MetadataRequests;

    public static async Task<LocalOpenIdServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LocalOpenIdServer(app);
        server.BotFrameworkKey = server.Publish("bf-key-1", ["msteams"], entra: false);
        server.EntraKey = server.Publish("entra-key-1", null, entra: true);
        app.MapGet("/botframework/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref server.MetadataRequests);
            return Results.Json(new { issuer = "https://api.botframework.com", jwks_uri = $"{server.BaseUrl}/botframework/keys", id_token_signing_alg_values_supported = new[] { "RS256" } });
        });
        app.MapGet("/botframework/keys", () => Results.Text(server.Jwks(entra: false), "application/json"));
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) =>
            Results.Json(new { issuer = $"https://login.microsoftonline.com/{tenant}/v2.0", jwks_uri = $"{server.BaseUrl}/entra/keys" }));
        app.MapGet("/entra/keys", () => Results.Text(server.Jwks(entra: true), "application/json"));
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>Adds a key to the published JWKS (key rollover).</summary>
    public RsaSecurityKey Publish(string kid, string[]? endorsements, bool entra)
    {
        var key = NewKey(kid);
        lock (published)
        {
            published.Add((key, endorsements, entra));
        }

        return key;
    }

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public string MintBotFramework(
        string serviceUrl,
        DateTime? now = null,
        TimeSpan? lifetime = null,
        string audience = AppId,
        string issuer = "https://api.botframework.com",
        RsaSecurityKey? key = null,
        bool includeServiceUrl = true)
    {
        var claims = new Dictionary<string, object>();
        if (includeServiceUrl)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return Mint(issuer, audience, claims, key ?? BotFrameworkKey, now, lifetime);
    }

    public string MintEntra(string serviceUrl, string tenant = TenantId, DateTime? now = null, RsaSecurityKey? key = null) =>
        Mint($"https://sts.windows.net/{tenant}/", AppId, new Dictionary<string, object> { ["serviceurl"] = serviceUrl, ["tid"] = tenant }, key ?? EntraKey, now, null);

    private static string Mint(string issuer, string audience, Dictionary<string, object> claims, RsaSecurityKey key, DateTime? now, TimeSpan? lifetime)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt < expires ? issuedAt : expires.AddMinutes(-1),
            NotBefore = issuedAt < expires ? issuedAt : expires.AddMinutes(-1),
            Expires = expires,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private string Jwks(bool entra)
    {
        var keys = new JsonArray();
        lock (published)
        {
            foreach (var (key, endorsements, isEntra) in published.Where(p => p.Entra == entra))
            {
                var parameters = key.Rsa.ExportParameters(false);
                var jwk = new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                };
                if (endorsements is not null)
                {
                    jwk["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)e)]);
                }

                keys.Add(jwk);
            }
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
