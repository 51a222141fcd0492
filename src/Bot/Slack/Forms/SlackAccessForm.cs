using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Bot.Slack.Forms;

/// <summary>
/// Opens the access request form (from <c>/pscale</c>, <c>/pscale access request</c> or the message shortcut) and
/// answers its token suggestions. Opening runs on the background queue at once: the <c>trigger_id</c> lives about
/// three seconds, and the acknowledgement must not wait for PlanetScale.
/// </summary>
public sealed partial class SlackAccessForm(
    AccessFormPolicy choices,
    IPlanetScaleService planetScale,
    SlackCallers callers,
    IBackgroundWorkQueue queue,
    ILogger<SlackAccessForm> logger)
{
    /// <summary>The message shortcut's callback id, as the manifest names it.</summary>
    public const string ShortcutCallbackId = "pscale_request_access";

    /// <summary>How long suggestions may take: Slack waits three seconds for the options.</summary>
    public static readonly TimeSpan SuggestionBudget = TimeSpan.FromSeconds(2);

    /// <summary>True for the command texts that open the form: nothing, or <c>access request</c> alone.</summary>
    public static bool Opens(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 || (words.Length == 2 && words[0] == "access" && words[1] == "request");
    }

    /// <summary>Queues opening the form; false when the queue is full (nothing was opened).</summary>
    /// <param name="teamId">The workspace.</param>
    /// <param name="userId">Who opens it.</param>
    /// <param name="userName">Their handle, for display.</param>
    /// <param name="triggerId">From the command or shortcut.</param>
    /// <param name="origin">Where it was opened.</param>
    /// <param name="permalink">A message to pre-fill the reason with (the shortcut's message), as channel and ts.</param>
    public bool TryOpen(string teamId, string userId, string? userName, string triggerId, AccessFormOrigin origin, (string Channel, string Ts)? permalink = null) =>
        queue.TryEnqueue(new BackgroundWorkItem(
            "slack access form",
            (services, ct) => services.GetRequiredService<SlackAccessForm>().OpenAsync(teamId, userId, userName, triggerId, origin, permalink, services.GetRequiredService<SlackApiClient>(), ct),
            Owner: $"slack:user:{userId}"));

    private async Task OpenAsync(string teamId, string userId, string? userName, string triggerId, AccessFormOrigin origin, (string Channel, string Ts)? message,
        SlackApiClient slack, CancellationToken cancellationToken)
    {
        var caller = await callers.ForAsync(teamId, userId, userName, cancellationToken);
        var offered = await choices.ChoicesAsync(caller, origin.Place, cancellationToken);
        string? reason = null;
        if (message is { } m)
        {
            try
            {
                reason = await slack.PermalinkAsync(m.Channel, m.Ts, cancellationToken);
            }
            catch (SlackApiException ex)
            {
                // The form is still useful without the link; the person can paste it.
                LogPermalinkFailed(ex.Error);
            }
        }

        try
        {
            await slack.OpenViewAsync(triggerId, AccessRequestModal.Build(offered, origin, reason), cancellationToken);
        }
        catch (SlackApiException ex)
        {
            // expired_trigger_id and the like: nothing is shown, so nothing else can be told; the person runs it again.
            LogOpenFailed(ex.Error);
        }
    }

    /// <summary>The tokens matching what was typed, when the person may ask for access in the form's place at all.</summary>
    public async Task<SlackOptionsAck> SuggestAsync(BlockSuggestionPayload suggestion, CancellationToken cancellationToken)
    {
        if (suggestion.ActionId != AccessRequestModal.Token || suggestion.User?.Id is not { } userId || (suggestion.Team?.Id ?? suggestion.User.TeamId) is not { } teamId)
        {
            return new SlackOptionsAck([]);
        }

        var origin = AccessFormOrigin.FromMetadata(suggestion.View?.PrivateMetadata);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(SuggestionBudget);
        try
        {
            var caller = await callers.ForAsync(teamId, userId, suggestion.User.Username, budget.Token);
            if (!choices.MayRequest(caller, origin.Place))
            {
                return new SlackOptionsAck([]);
            }

            var query = (suggestion.Value ?? "").Trim();
            var tokens = await planetScale.ListTokensAsync(choices.Organization, budget.Token);
            return new SlackOptionsAck([.. tokens
                .Where(t => query.Length == 0 || t.Id.Contains(query, StringComparison.OrdinalIgnoreCase) || (t.Name?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false))
                .OrderBy(t => t.Name ?? t.Id, StringComparer.OrdinalIgnoreCase)
                .Take(SlackOption.MaxOptions)
                .Select(t => SlackOption.Of(string.IsNullOrEmpty(t.Name) ? t.Id : $"{t.Name} ({t.Id})", t.Id))]);
        }
        catch (Exception ex) when (ex is PlanetScaleApiException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // An empty list is what Slack can show; the form says nothing was found, and typing again asks again.
            LogSuggestionsFailed(ex.GetType().Name);
            return new SlackOptionsAck([]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open the Slack access form: {Error}")]
    private partial void LogOpenFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the shortcut's message link: {Error}")]
    private partial void LogPermalinkFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token suggestions for the Slack access form failed with {ExceptionType}")]
    private partial void LogSuggestionsFailed(string exceptionType);
}
