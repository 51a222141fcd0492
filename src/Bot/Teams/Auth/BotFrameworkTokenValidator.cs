using System.Collections;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Auth;

/// <summary>The outcome of checking a request's bearer token; <see cref="Reason"/> is for logs only (never the token).</summary>
internal sealed record TokenCheck(bool IsValid, string Reason)
{
    public static TokenCheck Valid(string family) => new(true, family);

    public static TokenCheck Invalid(string reason) => new(false, reason);
}

/// <summary>
/// Validates the JWT the channel sends with each activity, for both issuer families: Azure Bot Service
/// (<c>iss = https://api.botframework.com</c>, keys with channel endorsements, a <c>serviceurl</c> claim) and
/// Entra-issued tokens of single-tenant bots (<c>sts.windows.net/{tid}/</c>, <c>login.microsoftonline.com/{tid}/v2.0</c>).
/// </summary>
internal sealed class BotFrameworkTokenValidator(
    OpenIdMetadataSource metadata,
    IOptionsMonitor<TeamsOptions> options,
    TimeProvider timeProvider)
{
    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public async Task<TokenCheck> ValidateAsync(string? authorization, Activity activity, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.AppId))
        {
            return TokenCheck.Invalid("no app id configured");
        }

        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Invalid("missing bearer token");
        }

        var token = authorization["Bearer ".Length..].Trim();
        if (!handler.CanReadToken(token))
        {
            return TokenCheck.Invalid("malformed token");
        }

        JsonWebToken unverified;
        try
        {
            unverified = handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return TokenCheck.Invalid("malformed token");
        }

        var family = IssuerFamily.Classify(unverified.Issuer, settings);
        if (family is null)
        {
            return TokenCheck.Invalid("untrusted issuer");
        }

        var manager = metadata.For(family.MetadataUrl);
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await manager.GetConfigurationAsync(cancellationToken);
            if (FindKey(configuration, unverified.Kid) is null)
            {
                // Key rollover: ask for fresh metadata once; IdentityModel rate-limits the refreshes.
                manager.RequestRefresh();
                configuration = await manager.GetConfigurationAsync(cancellationToken);
            }
        }
        catch (InvalidOperationException)
        {
            return TokenCheck.Invalid("OpenID metadata unavailable");
        }

        var signingKey = FindKey(configuration, unverified.Kid);
        if (signingKey is null)
        {
            return TokenCheck.Invalid("unknown signing key");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = family.Issuers,
            ValidAudience = settings.AppId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = AllowedAlgorithms,
            ClockSkew = ClockSkew,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = false,
            // IdentityModel 8's TimeProvider property is internal, so the lifetime check is ours, on our clock.
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, timeProvider.GetUtcNow().UtcDateTime),
        };

        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken validated)
        {
            return TokenCheck.Invalid(result.Exception?.GetType().Name ?? "invalid token");
        }

        var endorsements = ReadEndorsements(signingKey);
        if (family.RequiresEndorsements || endorsements is not null)
        {
            if (endorsements is null || string.IsNullOrEmpty(activity.ChannelId)
                || !endorsements.Contains(activity.ChannelId, StringComparer.OrdinalIgnoreCase))
            {
                return TokenCheck.Invalid("signing key not endorsed for the channel");
            }
        }

        var hasServiceUrl = validated.TryGetPayloadValue<string>("serviceurl", out var serviceUrlClaim);
        if (family.RequiresServiceUrlClaim && !hasServiceUrl)
        {
            return TokenCheck.Invalid("serviceurl claim missing");
        }

        if (hasServiceUrl && !SameServiceUrl(serviceUrlClaim, activity.ServiceUrl))
        {
            return TokenCheck.Invalid("serviceurl claim does not match the activity");
        }

        if (family.TenantId is not null
            && validated.TryGetPayloadValue<string>("tid", out var tid)
            && !string.Equals(tid, family.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Invalid("token tenant differs from the app's tenant");
        }

        return TokenCheck.Valid(family.Name);
    }

    /// <summary>Valid from <c>nbf</c> to <c>exp</c>, each widened by the five-minute skew Bot Framework documents.</summary>
    internal static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } exp
        && (notBefore is not { } nbf || (nbf <= exp && nbf - ClockSkew <= now))
        && now <= exp + ClockSkew;

    /// <summary>Equal ignoring case and a trailing slash (Teams sends both spellings).</summary>
    internal static bool SameServiceUrl(string? a, string? b) =>
        a is not null && b is not null
        && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static JsonWebKey? FindKey(OpenIdConnectConfiguration configuration, string? kid) =>
        string.IsNullOrEmpty(kid) ? null : configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));

    private static List<string>? ReadEndorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue("endorsements", out var raw) || raw is null)
        {
            return null;
        }

        return raw switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } element =>
                [.. element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            string single => [single],
            IEnumerable items => [.. items.Cast<object?>().Select(i => i?.ToString()).OfType<string>()],
            _ => null,
        };
    }

    /// <summary>Which issuer a token claims, and what that family must satisfy.</summary>
    private sealed record IssuerFamily(
        string Name,
        string[] Issuers,
        string MetadataUrl,
        bool RequiresEndorsements,
        bool RequiresServiceUrlClaim,
        string? TenantId)
    {
        public static IssuerFamily? Classify(string? issuer, TeamsOptions settings)
        {
            if (string.Equals(issuer, TeamsOptions.BotFrameworkIssuer, StringComparison.Ordinal))
            {
                return new("bot-framework", [TeamsOptions.BotFrameworkIssuer], settings.BotFrameworkOpenIdMetadataUrl,
                    RequiresEndorsements: true, RequiresServiceUrlClaim: true, TenantId: null);
            }

            var tenant = settings.AppTenantId?.Trim();
            if (string.IsNullOrEmpty(tenant))
            {
                return null;
            }

            string[] entraIssuers = [$"https://sts.windows.net/{tenant}/", $"https://login.microsoftonline.com/{tenant}/v2.0"];
            if (!entraIssuers.Contains(issuer, StringComparer.OrdinalIgnoreCase))
            {
                return null;
            }

            // Entra tokens are pinned to our own tenant by issuer and tid; they carry no endorsements and,
            // for agent-to-agent calls, may lack serviceurl (checked whenever present).
            return new("entra", entraIssuers, settings.EntraOpenIdMetadataUrlTemplate.Replace("{tenantId}", Uri.EscapeDataString(tenant), StringComparison.Ordinal),
                RequiresEndorsements: false, RequiresServiceUrlClaim: false, TenantId: tenant);
        }
    }
}
