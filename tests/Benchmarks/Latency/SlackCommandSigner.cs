using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PscaleBot.Benchmarks.Latency;

/// <summary>Builds slash-command requests exactly as Slack sends them: a form body signed with <c>v0</c> HMAC-SHA256.</summary>
public sealed class SlackCommandSigner(string signingSecret, TimeProvider time)
{
    private readonly byte[] key = Encoding.UTF8.GetBytes(signingSecret);

    /// <summary>A signed <c>POST /slack/commands</c> for <paramref name="text"/> typed by <paramref name="userId"/> in <paramref name="channelId"/>.</summary>
    public HttpRequestMessage SlashCommand(string teamId, string channelId, string userId, string text, string responseUrl, string triggerId)
    {
        var body = string.Join('&', new (string Name, string Value)[]
        {
            ("token", "deprecated"), ("team_id", teamId), ("team_domain", "acme"), ("channel_id", channelId), ("channel_name", "bench"),
            ("user_id", userId), ("user_name", "bench"), ("command", "/pscale"), ("text", text), ("api_app_id", "A0BENCH"),
            ("is_enterprise_install", "false"), ("response_url", responseUrl), ("trigger_id", triggerId),
        }.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        // Slack sends the bare media type, without "; charset=utf-8"; Bolt-js reads anything else as JSON.
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", "v0=" + signature);
        return request;
    }
}
