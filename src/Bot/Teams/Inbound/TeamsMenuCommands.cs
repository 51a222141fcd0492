using PscaleBot.Bot.Teams.Access;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Dialogs;
using PscaleBot.Bot.Teams.Identity;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// The Teams-only entries of the bot's command menu (<c>commandLists</c> in the app manifest), which are not commands
/// of the core grammar: <c>request access</c> answers with the button that opens the request dialog (a dialog opens
/// only from a click), and <c>my access</c> shows the person's grants and requests in their 1:1 chat. Both are
/// answered in the background, after the activity was acknowledged.
/// </summary>
internal sealed class TeamsMenuCommands(IBackgroundWorkQueue queue, TeamsCallerGroups callerGroups)
{
    /// <summary>Whether the answer was queued, and if not, when Teams should re-deliver.</summary>
    public sealed record Answer(bool Queued, TimeSpan RetryAfter);

    /// <summary>Queues the answer to <paramref name="text"/> when it is a menu entry; null when it is not one.</summary>
    public async Task<Answer?> TryQueueAsync(string text, ConversationReference reference, ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        BackgroundWorkItem item;
        if (AccessRequestForm.IsOpenCommand(text))
        {
            item = new BackgroundWorkItem("Teams request form opener", (services, ct) =>
                services.GetRequiredService<IBotConnectorClient>().SendAsync(reference, TeamsMessage.FromCard(AccessRequestForm.Opener()).ToActivity(), ct), Owner: caller.UserId);
        }
        else if (MyAccessCard.IsCommand(text))
        {
            // Approver roles may be bound to groups: the caller's groups decide what waits for their approval.
            (caller, _) = await callerGroups.WithGroupsAsync(caller, cancellationToken);
            item = new BackgroundWorkItem("Teams my access", async (services, ct) =>
            {
                // Grants and requests are private: they are shown only in the person's 1:1 chat with the bot.
                var message = place.IsDirect
                    ? TeamsMessage.FromCard(MyAccessCard.Build(await services.GetRequiredService<PersonalAccessReader>().ReadAsync(caller, _ => place, ct)))
                    : TeamsMessage.Plain("Your grants and requests are shown only in your 1:1 chat with me: open it and type `my access`.");
                await services.GetRequiredService<IBotConnectorClient>().SendAsync(reference, message.ToActivity(), ct);
            }, Owner: caller.UserId);
        }
        else
        {
            return null;
        }

        return queue.TryEnqueue(item) ? new Answer(true, TimeSpan.Zero) : new Answer(false, queue.RetryAfter(caller.UserId));
    }
}
