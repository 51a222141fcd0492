using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Slack.Home;

/// <summary>
/// The App Home tab: my active grants (time left, Extend / Revoke), requests waiting for my approval (Approve / Deny),
/// my pending requests (Cancel). Buttons carry the same action ids as the approvers' messages, so a click runs the
/// same typed command (<c>access revoke g-…</c>) through the pipeline as the clicker.
/// </summary>
public static class SlackHomeView
{
    /// <summary>Cancel a pending request (App Home only: the approvers' message has no Cancel).</summary>
    public const string CancelActionId = "pscale.access.cancel";

    /// <summary>Items shown per list, so the view stays within Slack's 100 blocks.</summary>
    public const int MaxItemsPerList = 14;

    /// <summary>The Home view for <paramref name="content"/>.</summary>
    public static SlackView Build(PersonalAccess content)
    {
        List<SlackBlock> blocks = [BlockKit.Header("Database access")];
        blocks.Add(BlockKit.Context("Ask for access with `/pscale` (a form) or the message shortcut *Request database access*."));
        Section(blocks, "Your active grants", content.Grants, g =>
        [
            BlockKit.Section($"{Mrkdwn.Code(g.Id)} {Mrkdwn.Escape(g.Target.Describe())}\n:hourglass_flowing_sand: {Left(g.EndsAt, content.Now)} left · ends {Mrkdwn.Date(g.EndsAt)}"),
            BlockKit.Actions($"home:{g.Id}:{g.Version}",
            [
                BlockKit.Button(AccessActionIds.Extend, $"Extend {AccessText.Duration(AccessActionCommand.DefaultExtension)}", g.Id, "primary"),
                BlockKit.Button(AccessActionIds.Revoke, "Revoke", g.Id, "danger"),
            ]),
        ]);
        Section(blocks, "Waiting for your approval", content.ToApprove, r =>
        [
            BlockKit.Section($"{Mrkdwn.Code(r.Id)} {Mrkdwn.UserMention(SlackUserId(r.Requester.UserId))} asks for {Mrkdwn.Escape(r.Target.Describe())} for {AccessText.Duration(r.Duration)}"
                + (AccessText.SafeReason(r.Reason) is { } reason ? $"\n>{Mrkdwn.Escape(reason)}" : "")),
            BlockKit.Actions($"home:{r.Id}:{r.Version}",
            [
                BlockKit.Button(AccessActionIds.Approve, "Approve", r.Id, "primary"),
                BlockKit.Button(AccessActionIds.Deny, "Deny", r.Id, "danger"),
            ]),
        ]);
        Section(blocks, "Your pending requests", content.Mine, r =>
        [
            BlockKit.Section($"{Mrkdwn.Code(r.Id)} {Mrkdwn.Escape(r.Target.Describe())} for {AccessText.Duration(r.Duration)} · {r.Approvals.Count} of {r.RequiredApprovals} approvals · expires {Mrkdwn.Date(r.ExpiresAt)}"),
            BlockKit.Actions($"home:{r.Id}:{r.Version}", [BlockKit.Button(CancelActionId, "Cancel request", r.Id)]),
        ]);
        return new SlackView("home", blocks);
    }

    /// <summary>The U… id of a qualified Slack user id, or the id as it is.</summary>
    public static string SlackUserId(string qualified) =>
        qualified.StartsWith("slack:user:", StringComparison.Ordinal) ? qualified["slack:user:".Length..] : qualified;

    private static void Section<T>(List<SlackBlock> blocks, string title, IReadOnlyList<T> items, Func<T, SlackBlock[]> render)
    {
        blocks.Add(BlockKit.Divider());
        blocks.Add(BlockKit.Section($"*{title}*"));
        if (items.Count == 0)
        {
            blocks.Add(BlockKit.Context("None."));
            return;
        }

        foreach (var item in items.Take(MaxItemsPerList))
        {
            blocks.AddRange(render(item));
        }

        if (items.Count > MaxItemsPerList)
        {
            blocks.Add(BlockKit.Context($"And {items.Count - MaxItemsPerList} more: type `/pscale access list` to see them all."));
        }
    }

    private static string Left(DateTimeOffset end, DateTimeOffset now) =>
        AccessText.Duration(TimeSpan.FromMinutes(Math.Max(1, Math.Ceiling((end - now).TotalMinutes))));
}
