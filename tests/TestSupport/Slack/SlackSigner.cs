using System.Security.Cryptography;
using System.Text;

namespace PscaleBot.Bot.Tests.Slack.Fakes;

/// <summary>Signs request bodies the way Slack does.</summary>
public static class SlackSigner
{
    public const string Secret = "test-signing-secret-0123456789";

    public static string Sign(string secret, long timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    public static HttpRequestMessage SignedPost(string path, string body, long? timestamp = null, string secret = Secret)
    {
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", ts.ToString());
        request.Headers.Add("X-Slack-Signature", Sign(secret, ts, body));
        return request;
    }

    public static string Form(params (string Key, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
}
