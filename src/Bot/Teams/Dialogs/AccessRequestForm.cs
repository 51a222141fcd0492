using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Commands.Policy;
using static PscaleBot.Bot.Teams.Rendering.AdaptiveCardElements;

namespace PscaleBot.Bot.Teams.Dialogs;

/// <summary>
/// The access request form as an Adaptive Card for a Teams dialog, and the button that opens it. The dialog's
/// submit arrives as a <c>task/submit</c> invoke carrying the inputs by id (<see cref="DialogData"/>).
/// </summary>
internal static class AccessRequestForm
{
    /// <summary>The verb of the button that opens the form and of the form's own submit.</summary>
    public const string Verb = "pscale.access.form";

    /// <summary>The dialog's title.</summary>
    public const string Title = "Request database access";

    /// <summary>What a person types (or picks from the bot's command menu) to get the button.</summary>
    public static bool IsOpenCommand(string text) =>
        string.Equals(text.Trim(), "request access", StringComparison.OrdinalIgnoreCase);

    /// <summary>The "Request access" button: an <c>Action.Submit</c> with <c>msteams.type = task/fetch</c> opens the dialog.</summary>
    public static SubmitAction OpenButton { get; } = new("Request access", new CardActionData { Verb = Verb, MsTeams = MsTeamsActionData.TaskFetch });

    /// <summary>A small card holding only <see cref="OpenButton"/> (the answer to <c>request access</c>).</summary>
    public static AdaptiveCard Opener() =>
        Card("Open the access request form with the button, or type: service-token add-access <TOKEN_ID> <PERMISSION>... --database DB --for 1h --reason \"…\"",
            Text("Pick a token, a database, permissions and a duration in a form."))
        with { Actions = [OpenButton] };

    /// <summary>The form, filled with <paramref name="values"/> and showing <paramref name="errors"/> by field (<c>""</c> = the whole form).</summary>
    public static AdaptiveCard Build(DialogChoices dialog, DialogData? values = null, IReadOnlyDictionary<string, string>? errors = null)
    {
        errors ??= new Dictionary<string, string>();
        List<CardElement> body = [Heading(Title)];
        var choices = dialog.Offered;
        if (!choices.CanRequest)
        {
            var why = choices.Problem ?? "There is nothing you may ask for here.";
            body.Add(Text(why, color: TextColor.Attention));
            return Card(why, body);
        }

        AddError(body, errors, "");
        body.Add(dialog.Tokens.Count == 0
            ? new InputText(Fields.Token) { Label = "Service token id", Placeholder = "e.g. ci7deploy0a1", Value = values?.Token, IsRequired = true, ErrorMessage = "Enter the token's id." }
            : new InputChoiceSet(Fields.Token, [.. dialog.Tokens.Select(t => new Choice(t.Name is { Length: > 0 } name ? $"{name} ({t.Id})" : t.Id, t.Id))])
            { Label = "Service token", Style = "filtered", Value = values?.Token, IsRequired = true, ErrorMessage = "Pick a token." });
        AddError(body, errors, Fields.Token);

        body.Add(!choices.DatabasesListed
            ? new InputText(Fields.Database) { Label = "Database", Value = values?.Database, IsRequired = true, ErrorMessage = "Enter a database." }
            : new InputChoiceSet(Fields.Database, [.. choices.Databases.Select(d => new Choice(d, d))])
            { Label = "Database", Style = "filtered", Value = values?.Database, IsRequired = true, ErrorMessage = "Pick a database." });
        AddError(body, errors, Fields.Database);

        body.Add(new InputChoiceSet(Fields.Permissions, [.. choices.Permissions.Select(p => new Choice($"{p.Name}: {p.Description}", p.Name))])
        { Label = "Permissions", IsMultiSelect = true, Style = "expanded", Value = values?.Permissions, IsRequired = true, ErrorMessage = "Pick at least one permission." });
        AddError(body, errors, Fields.Permissions);

        body.Add(new InputChoiceSet(Fields.Duration, [.. choices.Durations.Select(d => new Choice(PolicyDuration.Format(d), PolicyDuration.Format(d)))])
        { Label = $"For how long (at most {PolicyDuration.Format(choices.Durations[^1])})", Style = "compact", Value = values?.Duration ?? PolicyDuration.Format(choices.Durations[0]), IsRequired = true });
        AddError(body, errors, Fields.Duration);

        body.Add(new InputText(Fields.Reason)
        {
            Label = choices.ReasonRequired ? "Reason (required)" : "Reason",
            Placeholder = "Incident link or why you need it",
            IsMultiline = true,
            MaxLength = AccessRequestSubmission.MaxReasonLength,
            Value = values?.Reason,
            IsRequired = choices.ReasonRequired ? true : null,
            ErrorMessage = choices.ReasonRequired ? "A reason is required for this access." : null,
        });
        AddError(body, errors, Fields.Reason);

        return Card(Title, body) with { Actions = [new SubmitAction("Send request", new CardActionData { Verb = Verb })] };
    }

    /// <summary>The dialog answer that shows <paramref name="card"/>.</summary>
    public static TaskModuleResponse<TaskModuleCard> Show(AdaptiveCard card) =>
        new(new TaskModuleResponseBody<TaskModuleCard>("continue", new TaskModuleCard(Title, Attachment.Card(card))));

    /// <summary>The dialog answer that closes it with <paramref name="text"/>.</summary>
    public static TaskModuleResponse<string> Close(string text) => new(new TaskModuleResponseBody<string>("message", text));

    private static TextBlock Heading(string text) =>
        new(text) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Style = TextBlockStyle.Heading };

    private static void AddError(List<CardElement> body, IReadOnlyDictionary<string, string> errors, string field)
    {
        if (errors.TryGetValue(field, out var error))
        {
            body.Add(new TextBlock(error) { Color = TextColor.Attention, Spacing = Spacing.None });
        }
    }

    /// <summary>The input ids, which are the <see cref="DialogData"/> property names on the wire.</summary>
    internal static class Fields
    {
        public const string Token = "token";
        public const string Database = "database";
        public const string Permissions = "permissions";
        public const string Duration = "duration";
        public const string Reason = "reason";
    }
}
