using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Slack.Forms;

/// <summary>
/// A submitted access form becomes the typed <c>service-token add-access … --for … --reason "…"</c> and goes through the
/// pipeline as the submitter, in the place the form was opened from: the same policy, approval and audit as typing
/// it. What is wrong is answered next to its field (<c>response_action: errors</c>, the modal stays open); otherwise the
/// modal closes and the answer is posted privately to the submitter, and the request to the approvers as usual.
/// </summary>
public sealed partial class SlackAccessFormSubmission(
    ICommandPipeline pipeline,
    AccessFormPolicy choices,
    SlackCallers callers,
    BackgroundAnswerRunner runner,
    IDeliveryLedger ledger,
    IOptions<SlackOptions> options,
    ILogger<SlackAccessFormSubmission> logger)
{
    /// <summary>Handles one submission; the inline errors to show, or null to close the modal.</summary>
    public async Task<SlackViewErrorsAck?> SubmitAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken)
    {
        if (submission.User?.Id is not { } userId || (submission.Team?.Id ?? submission.User.TeamId) is not { } teamId || submission.View is not { } view)
        {
            return null;
        }

        var origin = AccessFormOrigin.FromMetadata(view.PrivateMetadata);
        var caller = await callers.ForAsync(teamId, userId, submission.User.Username, cancellationToken);
        var form = AccessFormValues.Read(view.State?.Values);
        var errors = form.Problems();
        if (errors.Count == 0 && string.IsNullOrWhiteSpace(form.Reason)
            && choices.ReasonRequired(caller, origin.Place, form.Database, form.Permissions, form.Duration!.Value))
        {
            errors[AccessRequestModal.Reason] = "A reason is required for this access: say why you need it (an incident, a ticket, a link).";
        }

        if (errors.Count > 0)
        {
            return new SlackViewErrorsAck(errors);
        }

        var request = new ChatRequest(caller, origin.Place, form.CommandText(), view.Id);
        var prepared = await pipeline.PrepareAsync(request, cancellationToken);
        if (prepared.ImmediateResponse?.Results.OfType<ErrorResult>().ToList() is { Count: > 0 } refused)
        {
            // Parse errors and denials are answered here, before anything ran; the pipeline has audited them.
            return new SlackViewErrorsAck(Inline(refused));
        }

        // Slack does not re-deliver submissions, but a double click on Request must not file two requests.
        if (view.Id is { } viewId && !await ledger.TryRecordAsync($"slack:form:{teamId}:{viewId}", options.Value.DuplicateWindow, cancellationToken))
        {
            return null;
        }

        var target = origin.ChannelId is { } channel && !SlackIdentityFactory.IsDirectMessage(channel, origin.ChannelName)
            ? new SlackReplyTarget(teamId, channel, userId, null, IsDirect: false)
            : new SlackReplyTarget(teamId, userId, userId, null, IsDirect: true);
        var queued = runner.TryQueue(
            "slack access form",
            target,
            (services, ct) => prepared.ImmediateResponse is { } now ? Task.FromResult(now) : services.GetRequiredService<ICommandPipeline>().ExecuteAsync(prepared, ct),
            OutputFormat.Human,
            prepared);
        if (!queued)
        {
            LogBusy(userId);
            return new SlackViewErrorsAck(new Dictionary<string, string> { [AccessRequestModal.Reason] = "The bot is busy right now and nothing was filed. Press Request again in a minute." });
        }

        return null;
    }

    // Each sentence goes under the field it is about; what names no field goes under the token, the first one.
    private static Dictionary<string, string> Inline(IEnumerable<ErrorResult> errors)
    {
        var byBlock = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            var text = string.IsNullOrEmpty(error.Hint) ? error.Message : $"{error.Message} {error.Hint}";
            var block = text switch
            {
                _ when text.Contains("reason", StringComparison.OrdinalIgnoreCase) => AccessRequestModal.Reason,
                _ when text.Contains("--for", StringComparison.Ordinal) || text.Contains("duration", StringComparison.OrdinalIgnoreCase) => AccessRequestModal.Duration,
                _ when text.Contains("database", StringComparison.OrdinalIgnoreCase) => AccessRequestModal.Database,
                _ when text.Contains("permission", StringComparison.OrdinalIgnoreCase) => AccessRequestModal.Permissions,
                _ => AccessRequestModal.Token,
            };
            byBlock[block] = byBlock.TryGetValue(block, out var earlier) ? $"{earlier} {text}" : text;
        }

        return byBlock.ToDictionary(e => e.Key, e => Rendering.BlockKit.Truncate(e.Value, 2000));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; refused a Slack access form from {UserId}")]
    private partial void LogBusy(string userId);
}

/// <summary>The values of a submitted access form, checked for shape before they become command text.</summary>
/// <param name="Token">The token id chosen.</param>
/// <param name="Database">The database chosen, if any.</param>
/// <param name="Permissions">The permissions chosen.</param>
/// <param name="Duration">The length chosen, when it reads as one.</param>
/// <param name="Reason">The reason typed.</param>
public sealed partial record AccessFormValues(string? Token, string? Database, IReadOnlyList<string> Permissions, TimeSpan? Duration, string? Reason)
{
    /// <summary>Reads the modal's state; anything missing is null or empty.</summary>
    public static AccessFormValues Read(Dictionary<string, Dictionary<string, SlackInputValue>>? values)
    {
        SlackInputValue? Value(string id) => values is not null && values.TryGetValue(id, out var block) && block.TryGetValue(id, out var value) ? value : null;
        var duration = Value(AccessRequestModal.Duration)?.SelectedOption?.Value;
        return new AccessFormValues(
            Value(AccessRequestModal.Token)?.SelectedOption?.Value,
            Value(AccessRequestModal.Database)?.SelectedOption?.Value,
            [.. (Value(AccessRequestModal.Permissions)?.SelectedOptions ?? []).Select(o => o.Value).OfType<string>().Distinct(StringComparer.Ordinal)],
            int.TryParse(duration, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes) && minutes is > 0 and <= 366 * 24 * 60
                ? TimeSpan.FromMinutes(minutes)
                : null,
            Value(AccessRequestModal.Reason)?.Value);
    }

    /// <summary>What is wrong, by block id; empty when the values can be turned into a command.</summary>
    public Dictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Token is null || !Word().IsMatch(Token))
        {
            problems[AccessRequestModal.Token] = "Choose a service token from the list (type part of its name or id).";
        }

        if (Database is not null && !Word().IsMatch(Database))
        {
            problems[AccessRequestModal.Database] = "Choose a database from the list.";
        }

        var known = Permissions.Select(p => PermissionCatalog.TryGet(p, out var info) ? info : null).ToList();
        if (Permissions.Count == 0 || known.Any(p => p is null))
        {
            problems[AccessRequestModal.Permissions] = "Choose at least one permission from the list.";
        }
        else if (Database is null && known.FirstOrDefault(p => p!.Scope == ResourceKind.Database) is { } needsDatabase)
        {
            problems[AccessRequestModal.Database] = $"Choose a database: {needsDatabase.Name} is a database permission.";
        }
        else if (Database is not null && known.FirstOrDefault(p => p!.Scope == ResourceKind.Organization) is { } organizationWide)
        {
            problems[AccessRequestModal.Permissions] = $"{organizationWide.Name} applies to the whole organization, not a database: ask for it without a database.";
        }

        if (Duration is null)
        {
            problems[AccessRequestModal.Duration] = "Choose how long you need the access for.";
        }

        return problems;
    }

    /// <summary>The equivalent typed command. Call only when <see cref="Problems"/> is empty.</summary>
    public string CommandText()
    {
        var text = $"service-token add-access {Token} {string.Join(' ', Permissions)}";
        if (Database is not null)
        {
            text += $" --database {Database}";
        }

        text += $" --for {AccessText.Duration(Duration!.Value)}";
        if (!string.IsNullOrWhiteSpace(Reason))
        {
            // One quoted word: every quote character the tokenizer knows becomes an apostrophe, line breaks spaces.
            var reason = QuoteLike().Replace(Reason.Trim(), "'").ReplaceLineEndings(" ");
            text += $" --reason \"{reason}\"";
        }

        return text;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    [GeneratedRegex("[\"\u201C\u201D\u201E\u00AB\u00BB]", RegexOptions.CultureInvariant)]
    private static partial Regex QuoteLike();
}
