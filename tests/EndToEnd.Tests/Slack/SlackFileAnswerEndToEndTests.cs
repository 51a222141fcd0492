using System.Net;
using PscaleBot.Bot.Tests.Slack.Fakes;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// Answers too large for Slack messages, or asked for with <c>--format csv</c>, arrive as an uploaded file
/// (files.getUploadURLExternal, the bytes, files.completeUploadExternal) instead of being cut.
/// </summary>
public sealed class SlackFileAnswerEndToEndTests
{
    [Fact]
    public async Task A_500_token_csv_list_arrives_as_one_file_in_the_requesters_dm()
    {
        await using var bot = await SlackBot.StartAsync(SlackFormEndToEndTests.FormPolicy);
        var ids = await FillTo500Async(bot);

        var reply = bot.NewResponseId();
        var ack = await bot.CommandAsync(Alice, Ops, "service-token list --format csv", reply);

        Assert.Equal(HttpStatusCode.OK, ack.Status);
        await Eventually.TrueAsync(() => !bot.Slack.SharedFiles.IsEmpty, "the file shared", 60);
        var (file, channel, comment) = Assert.Single(bot.Slack.SharedFiles);
        Assert.Equal("pscale-tokens.csv", file.Name);
        Assert.Equal($"D{Alice}", channel);
        Assert.Contains("pscale-tokens.csv", comment);
        var lines = file.Text.TrimEnd('\n').Split('\n');
        Assert.Equal(501, lines.Length);
        Assert.All(ids, id => Assert.Contains(lines, l => l.StartsWith(id + ",", StringComparison.Ordinal)));
        Assert.DoesNotContain(bot.PostsTo(reply), p => p.Raw().Contains("showing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_public_human_listing_too_large_for_messages_is_shared_in_the_channel_not_cut()
    {
        await using var bot = await SlackBot.StartAsync(SlackFormEndToEndTests.FormPolicy);
        await FillTo500Async(bot);

        var reply = bot.NewResponseId();
        await bot.CommandAsync(Alice, Ops, "service-token list --public", reply);

        await Eventually.TrueAsync(() => !bot.Slack.SharedFiles.IsEmpty, "the file shared", 60);
        var (file, channel, _) = Assert.Single(bot.Slack.SharedFiles);
        Assert.Equal(Ops, channel);
        Assert.Equal("pscale-tokens.txt", file.Name);
        Assert.DoesNotContain(bot.Slack.ResponseUrlPosts, p => p.Body.Raw().Contains("showing", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> FillTo500Async(SlackBot bot)
    {
        var existing = await bot.SandboxApi.TokenIdsAsync();
        using var gate = new SemaphoreSlim(8);
        var created = await Task.WhenAll(Enumerable.Range(0, 500 - existing.Count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await bot.SandboxApi.CreateTokenAsync($"bulk-{i:000}");
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. existing, .. created];
    }
}
