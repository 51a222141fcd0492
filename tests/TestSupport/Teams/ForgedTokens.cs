using System.Text.Json.Nodes;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>A way a request to the messaging endpoint can claim to come from Teams without the right to.</summary>
public enum Forgery
{
    // Header level: no usable bearer token at all.
    MissingHeader,
    NotBearer,
    Garbage,

    // Token level: a well-formed, signed JWT that fails exactly one check.
    WrongIssuer,
    WrongAudience,
    Expired,
    NotYetValid,
    BadSignature,
    UnknownKey,
    MissingEndorsement,
    MissingServiceUrlClaim,
    ServiceUrlMismatch,
    WrongTenant,
    EntraOtherTenant,
}

/// <summary>
/// The forged-token matrix, kept once for the unit tests (fake pipeline) and the end-to-end tests (real
/// pipeline and sandbox): each <see cref="Forgery"/> must be refused with 401 before anything runs.
/// A new forgery added to the enum is run by both.
/// </summary>
public static class ForgedTokens
{
    public const string OtherTenant = "ffffffff-0000-0000-0000-000000000000";

    /// <summary>Every forgery, header-level and token-level, for <c>[MemberData]</c>.</summary>
    public static TheoryData<Forgery> All
    {
        get
        {
            var data = new TheoryData<Forgery>();
            foreach (var forgery in Enum.GetValues<Forgery>())
            {
                data.Add(forgery);
            }

            return data;
        }
    }

    /// <summary>
    /// A POST of <paramref name="activity"/> carrying the forgery. Some forgeries also change the activity
    /// (its channel or tenant) so that a genuinely signed token no longer matches it.
    /// </summary>
    public static HttpRequestMessage Request(Forgery forgery, LocalOpenIdServer openId, string serviceUrl, JsonObject activity, string path = "/api/messages")
    {
        // Mint first: the activity may change, and Post serializes it.
        var authorization = Authorization(forgery, openId, serviceUrl, activity);
        var request = ActivityJson.Post(path, activity, null);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    /// <summary>The Authorization header for the forgery, or null for none.</summary>
    public static string? Authorization(Forgery forgery, LocalOpenIdServer openId, string serviceUrl, JsonObject activity) => forgery switch
    {
        Forgery.MissingHeader => null,
        Forgery.NotBearer => "Basic " + openId.MintBotFramework(serviceUrl),
        Forgery.Garbage => "Bearer not.a.jwt",
        _ => "Bearer " + Token(forgery, openId, serviceUrl, activity),
    };

    private static string Token(Forgery forgery, LocalOpenIdServer openId, string url, JsonObject activity)
    {
        switch (forgery)
        {
            case Forgery.WrongIssuer:
                return openId.MintBotFramework(url, issuer: "https://api.botframework.evil");
            case Forgery.WrongAudience:
                return openId.MintBotFramework(url, audience: "99999999-2222-3333-4444-555555555555");
            case Forgery.Expired:
                return openId.MintBotFramework(url, now: DateTime.UtcNow.AddHours(-2), lifetime: TimeSpan.FromMinutes(110));
            case Forgery.NotYetValid:
                return openId.MintBotFramework(url, now: DateTime.UtcNow.AddMinutes(20));
            case Forgery.BadSignature:
                // Same kid as the published key, different private key.
                return openId.MintBotFramework(url, key: LocalOpenIdServer.NewKey(openId.BotFrameworkKey.KeyId));
            case Forgery.UnknownKey:
                return openId.MintBotFramework(url, key: LocalOpenIdServer.NewKey("never-published"));
            case Forgery.MissingEndorsement:
                // The published key is endorsed for msteams only.
                activity["channelId"] = "webchat";
                return openId.MintBotFramework(url);
            case Forgery.MissingServiceUrlClaim:
                return openId.MintBotFramework(url, includeServiceUrl: false);
            case Forgery.ServiceUrlMismatch:
                return openId.MintBotFramework("https://smba.trafficmanager.net/amer/");
            case Forgery.WrongTenant:
                activity["channelData"]!["tenant"]!["id"] = OtherTenant;
                activity["conversation"]!["tenantId"] = OtherTenant;
                return openId.MintBotFramework(url);
            case Forgery.EntraOtherTenant:
                return openId.MintEntra(url, tenant: OtherTenant);
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "not a token-level forgery");
        }
    }
}
