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

    [Fact]
    public async Task Two_file_answers_to_one_person_open_their_dm_once()
    {
        await using var bot = await SlackBot.StartAsync(SlackFormEndToEndTests.FormPolicy);

        await bot.CommandAsync(Alice, Ops, "service-token list --format csv", bot.NewResponseId());
        await Eventually.TrueAsync(() => bot.Slack.SharedFiles.Count == 1, "the first file shared", 60);
        await bot.CommandAsync(Alice, Ops, "service-token list --format csv", bot.NewResponseId());
        await Eventually.TrueAsync(() => bot.Slack.SharedFiles.Count == 2, "the second file shared", 60);

        Assert.All(bot.Slack.SharedFiles, f => Assert.Equal($"D{Alice}", f.ChannelId));
        Assert.Single(bot.Slack.Calls("conversations.open"));
    }

    [Fact]
    public async Task A_dm_slack_would_not_open_is_asked_for_again_by_the_next_file_answer()
    {
        await using var bot = await SlackBot.StartAsync(SlackFormEndToEndTests.FormPolicy);
        bot.Slack.Script("conversations.open", new ScriptedReply(200, """{"ok":false,"error":"internal_error"}"""));

        var refused = bot.NewResponseId();
        await bot.CommandAsync(Alice, Ops, "service-token list --format csv", refused);
        await Eventually.TrueAsync(() => bot.PostsTo(refused).Any(), "the note that the file was refused", 60);
        Assert.Contains("conversations.open internal_error", bot.PostsTo(refused).Single().Raw(), StringComparison.Ordinal);

        await bot.CommandAsync(Alice, Ops, "service-token list --format csv", bot.NewResponseId());
        await Eventually.TrueAsync(() => bot.Slack.SharedFiles.Count == 1, "the file shared", 60);
        Assert.Equal(2, bot.Slack.Calls("conversations.open").Count());
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
