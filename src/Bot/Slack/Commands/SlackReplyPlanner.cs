using Microsoft.Extensions.Options;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Execution;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>Where the answers to one Slack command or action go.</summary>
/// <param name="TeamId">The workspace.</param>
/// <param name="ChannelId">The conversation.</param>
/// <param name="UserId">The requester (U…).</param>
/// <param name="ResponseUrl">The invocation's <c>response_url</c>, if any.</param>
/// <param name="IsDirect">True in a 1:1 DM with the bot.</param>
public sealed record SlackReplyTarget(string TeamId, string ChannelId, string UserId, string? ResponseUrl, bool IsDirect);

/// <summary>One message to deliver.</summary>
/// <param name="Message">The message and who may see it.</param>
/// <param name="HoldsSecret">True when it carries a token secret: it may only ever reach the requester.</param>
public sealed record PlannedReply(SlackResponseMessage Message, bool HoldsSecret);

/// <summary>
/// Decides what a <see cref="CommandResponse"/> becomes in Slack: the private secret warning first, then the
/// results (ephemeral unless the caller asked for <c>--public</c>; always ephemeral when they hold a secret or
/// an error), then the channel announcement of a change. Never more than a <c>response_url</c> takes (5 posts).
/// </summary>
public sealed class SlackReplyPlanner(SlackBlockKitRenderer renderer, IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>Posts Slack accepts per <c>response_url</c> (in 30 minutes).</summary>
    public const int ResponseUrlPosts = 5;

    /// <summary>The messages for <paramref name="response"/>, in delivery order.</summary>
    public IReadOnlyList<PlannedReply> Plan(CommandResponse response, SlackReplyTarget target)
    {
        var replies = new List<PlannedReply>();
        if (!string.IsNullOrWhiteSpace(response.SecretWarning))
        {
            var warning = $":warning: {Mrkdwn.Escape(response.SecretWarning)}";
            replies.Add(new PlannedReply(new SlackResponseMessage(SlackResponseType.Ephemeral, BlockKit.Truncate(warning, SlackMessageLimits.MaxFallbackText), [BlockKit.Section(warning)]), false));
        }

        var announce = !string.IsNullOrWhiteSpace(response.Announcement) && !target.IsDirect && !response.IsError;
        var budget = ResponseUrlPosts - replies.Count - (announce ? 1 : 0);
        var secret = response.ContainsSecret;
        var visibility = !secret && !response.IsError && response.Visibility == ResponseVisibility.Public
            ? SlackResponseType.InChannel
            : SlackResponseType.Ephemeral;
        var context = new SlackRenderContext(target.UserId, time.GetUtcNow(), options.Value.TableStyle);
        foreach (var message in renderer.Render(response.Results, response.Format, context, budget))
        {
            replies.Add(new PlannedReply(new SlackResponseMessage(visibility, message.Text, message.Blocks), secret));
        }

        if (announce)
        {
            var text = $":mega: {Mrkdwn.Escape(response.Announcement)}";
            replies.Add(new PlannedReply(new SlackResponseMessage(SlackResponseType.InChannel, BlockKit.Truncate(text, SlackMessageLimits.MaxFallbackText), [BlockKit.Section(text)]), false));
        }

        return replies;
    }
}
