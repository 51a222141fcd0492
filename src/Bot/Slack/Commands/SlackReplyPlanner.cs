using Microsoft.Extensions.Options;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Files;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>Where the answers to one Slack command or action go.</summary>
/// <param name="TeamId">The workspace.</param>
/// <param name="ChannelId">The conversation.</param>
/// <param name="UserId">The requester (U…).</param>
/// <param name="ResponseUrl">The invocation's <c>response_url</c>, if any.</param>
/// <param name="IsDirect">True in a 1:1 DM with the bot.</param>
public sealed record SlackReplyTarget(string TeamId, string ChannelId, string UserId, string? ResponseUrl, bool IsDirect);

/// <summary>One message to deliver.</summary>
/// <param name="Message">The message and who may see it (with a file: the file's comment).</param>
/// <param name="HoldsSecret">True when it carries a token secret: it may only ever reach the requester.</param>
/// <param name="File">A file to upload with the message as its comment, instead of posting the message alone.</param>
public sealed record PlannedReply(SlackResponseMessage Message, bool HoldsSecret, SlackFileAnswer? File = null);

/// <summary>
/// Maps the core's <see cref="ReplyPlan"/> onto Slack: a part for the requester becomes an ephemeral message,
/// a part for the place an in-channel one. The plan decides who may see what; this only renders and keeps
/// within what a <c>response_url</c> takes (5 posts). An answer asked for with <c>--format csv</c>, or one too large for
/// those posts, becomes a file (<see cref="SlackFileAnswer"/>) instead of being cut; never one that holds a secret.
/// </summary>
public sealed class SlackReplyPlanner(SlackBlockKitRenderer renderer, ITextResultRenderer text, IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>Posts Slack accepts per <c>response_url</c> (in 30 minutes).</summary>
    public const int ResponseUrlPosts = 5;

    /// <summary>The messages for <paramref name="response"/>, in delivery order.</summary>
    public IReadOnlyList<PlannedReply> Plan(CommandResponse response, SlackReplyTarget target)
    {
        var plan = ReplyPlan.For(response, target.IsDirect);
        var budget = ResponseUrlPosts - (plan.Parts.Count - 1);
        var replies = new List<PlannedReply>();
        foreach (var part in plan.Parts)
        {
            var type = part.Audience == ReplyAudience.Place ? SlackResponseType.InChannel : SlackResponseType.Ephemeral;
            switch (part.Content)
            {
                case ReplyContent.SecretWarning:
                    replies.Add(Notice(type, $":warning: {Mrkdwn.Escape(response.SecretWarning)}"));
                    break;
                case ReplyContent.Announcement:
                    replies.Add(Notice(type, $":mega: {Mrkdwn.Escape(response.Announcement)}"));
                    break;
                default:
                    var context = new SlackRenderContext(target.UserId, time.GetUtcNow(), options.Value.TableStyle);
                    var asFile = response.Format == OutputFormat.Csv;
                    var whole = asFile ? null : renderer.TryRender(response.Results, response.Format, context, budget);
                    if (whole is null && !part.HoldsSecret && SlackFileAnswer.For(response, text) is { } file)
                    {
                        replies.Add(FileReply(type, file, asFile));
                        break;
                    }

                    foreach (var message in whole ?? renderer.Render(response.Results, response.Format, context, budget))
                    {
                        replies.Add(new PlannedReply(new SlackResponseMessage(type, message.Text, message.Blocks), part.HoldsSecret));
                    }

                    break;
            }
        }

        return replies;
    }

    private static PlannedReply FileReply(SlackResponseType type, SlackFileAnswer file, bool asked)
    {
        var why = asked ? "as asked" : "because it is too large for Slack messages";
        var mrkdwn = $":page_facing_up: The answer is in {Mrkdwn.Code(file.FileName)} ({file.Lines} lines), {why}.";
        return new PlannedReply(new SlackResponseMessage(type, mrkdwn, [BlockKit.Section(mrkdwn)]), false, file);
    }

    private static PlannedReply Notice(SlackResponseType type, string mrkdwn) =>
        new(new SlackResponseMessage(type, BlockKit.Truncate(mrkdwn, SlackMessageLimits.MaxFallbackText), [BlockKit.Section(mrkdwn)]), false);
}
