using System.Globalization;
using PscaleBot.Bot.Teams.Dialogs;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;
using PscaleBot.Commands.Results.Tables;
using PscaleBot.Commands.Text;
using static PscaleBot.Bot.Teams.Rendering.AdaptiveCardElements;

namespace PscaleBot.Bot.Teams.Rendering;

/// <summary>One Teams message: an Adaptive Card, or text (plain, or Markdown for code blocks).</summary>
internal sealed record TeamsMessage(string? Text, string? TextFormat, AdaptiveCard? Card)
{
    public static TeamsMessage Plain(string text) => new(text, "plain", null);

    public static TeamsMessage Markdown(string text) => new(text, "markdown", null);

    public static TeamsMessage FromCard(AdaptiveCard card) => new(null, null, card);

    public OutgoingActivity ToActivity() => new()
    {
        Text = Text,
        TextFormat = TextFormat,
        Attachments = Card is null ? null : [Attachment.Card(Card)],
    };
}

/// <summary>Who the answer is for; shown on cards ("asked by"), never used to decide anything.</summary>
internal sealed record TeamsRenderContext(string RequesterName);

/// <summary>
/// Renders command results for Teams: token, permission, access and audit tables, drawn from their <see cref="TableView"/>,
/// as Adaptive Card 1.5 <c>Table</c>s
/// split so each card stays under <see cref="MaxCardBytes"/>, with a code-block <c>fallbackText</c>; other
/// results as small cards or text; <c>--format json|csv</c> as code blocks from <see cref="ITextResultRenderer"/>.
/// With <c>plainText</c> every table is sent as its code-block form instead of a card.
/// </summary>
internal sealed class TeamsResultRenderer(ITextResultRenderer? textRenderer, bool plainText = false, TimeProvider? timeProvider = null)
{
    /// <summary>Teams allows ~100 KB per message counted in UTF-16; 25 KB of JSON keeps a wide margin.</summary>
    public const int MaxCardBytes = 25 * 1024;
    public const int MaxRowsPerCard = 40;
    public const int MaxTextChars = 20_000;
    private const int MaxCellChars = 1_000;

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public IReadOnlyList<TeamsMessage> Render(IReadOnlyList<CommandResult> results, OutputFormat format, TeamsRenderContext context) =>
        [.. results.SelectMany(r => Render(r, format, context))];

    public IReadOnlyList<TeamsMessage> Render(CommandResult result, OutputFormat format, TeamsRenderContext context)
    {
        if (format != OutputFormat.Human && textRenderer is not null && result is not (ErrorResult or MessageResult or HelpResult))
        {
            return CodeBlocks(textRenderer.Render(result, format));
        }

        return result switch
        {
            PermissionTable table => RenderTable(TableViews.For(table), $"Org: {table.Organization} · Token: {table.TokenId}", context),
            TokenTable { Kind: TokenTableKind.Created } tokens => [.. RenderCreated(tokens, context)],
            TokenTable tokens => RenderTable(TableViews.For(tokens), $"Org: {tokens.Organization} · {Count(tokens.Tokens.Count, "token")}", context),
            AuditTable audit => RenderTable(TableViews.For(audit), Count(audit.Entries.Count, "entry", "entries"), context),
            AccessListResult access => RenderTable(TableViews.For(access), AccessSummary(access), context),
            StaleTokenTable stale => RenderTable(TableViews.For(stale), $"Org: {stale.Organization} · {Count(stale.Tokens.Count, "stale token")}", context),
            MessageResult message => [TeamsMessage.Plain(ToneMark(message.Tone) + message.Text)],
            ErrorResult error => [RenderError(error)],
            // The form suits people who don't know the grammar, who are reading help right now.
            HelpResult help when !plainText => [.. CodeBlocks(help.Text), TeamsMessage.FromCard(AccessRequestForm.Opener())],
            HelpResult help => CodeBlocks(help.Text),
            WhoAmIResult whoami => [RenderWhoAmI(whoami)],
            DryRunResult dryRun => [RenderDryRun(dryRun)],
            AuditChainResult chain => [TeamsMessage.Plain(ToneMark(chain.Report.Ok ? MessageTone.Success : MessageTone.Warning) + chain.Sentence)],
            _ => [TeamsMessage.Plain("This answer cannot be shown in Teams yet.")],
        };
    }

    /// <summary>
    /// A table as its <see cref="TableView"/> words it for chat (the terminal's headers in sentence case, its order,
    /// its <c>+</c>/<c>-</c> marks and legend), under a line of facts.
    /// </summary>
    private IReadOnlyList<TeamsMessage> RenderTable(TableView view, string summary, TeamsRenderContext context)
    {
        var facts = $"{summary} · Asked by: {context.RequesterName}";
        if (view.Rows.Count == 0)
        {
            return [Simple(view.Title, facts, view.EmptyText)];
        }

        var now = view.ReadAt ?? time.GetUtcNow();
        var shown = view.ShownColumnIndexes(includeSecrets: false).ToList();
        var rows = new List<IReadOnlyList<string>>(view.Rows.Count);
        foreach (var row in view.Rows)
        {
            var cells = new string[shown.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = view.Columns[shown[i]].Display(row.Cells[shown[i]], TableMedium.Chat, now);
            }

            rows.Add(cells);
        }

        return Pages(view.Title, facts, [.. shown.Select(i => view.Columns[i].Title)], rows, view.Legend);
    }

    private static string AccessSummary(AccessListResult list)
    {
        var requests = list.Rows.Count(r => r.Kind == AccessListRowKind.Request);
        return $"{Count(requests, "pending request")} · {Count(list.Rows.Count - requests, "active grant")}";
    }

    /// <summary>One card per new token: its row of the table view as facts, and the secret apart, never in the fallback.</summary>
    private IEnumerable<TeamsMessage> RenderCreated(TokenTable table, TeamsRenderContext context)
    {
        var view = TableViews.For(table);
        var now = view.ReadAt ?? time.GetUtcNow();
        var shown = view.ShownColumnIndexes(includeSecrets: false).ToList();
        var secretColumn = Enumerable.Range(0, view.Columns.Count).FirstOrDefault(i => view.Columns[i].Role == ColumnRole.Secret, -1);
        return table.Tokens.Select((token, n) =>
        {
            var row = view.Rows[n];
            List<(string, string)> details =
            [
                .. shown.Select(i => (view.Columns[i].Title, view.Columns[i].Display(row.Cells[i], TableMedium.Chat, now) is { Length: > 0 } value ? value : "(none)")),
            ];
            var secret = secretColumn < 0 || token.Secret is null ? null : row.Cells[secretColumn].Display(TableMedium.Chat, now);
            return RenderCreated($"New service token {token.Id}", $"Org: {table.Organization} · Token: {token.Id} · Asked by: {context.RequesterName}", details, secret);
        });
    }

    private TeamsMessage RenderCreated(string title, string facts, List<(string, string)> details, string? secret)
    {
        const string Advice = "This is the only time the token is shown. Store it in your secret manager now; the bot cannot show it again.";
        if (plainText)
        {
            var lines = string.Join('\n', details.Select(d => $"{d.Item1}: {d.Item2}"));
            return TeamsMessage.Markdown($"**{title}**\n\n{facts}\n\n{lines}\n\n" + (secret is null ? "" : MonospaceTable.CodeBlock(secret) + "\n\n") + Advice);
        }

        // The secret stays out of fallbackText: clients may show that in notification previews.
        List<CardElement> body = [Title(title), Subtle(facts), Facts(details)];
        if (secret is not null)
        {
            body.Add(Text("Token secret:", bold: true));
            body.Add(Text(secret, monospace: true));
        }

        body.Add(Text(Advice, color: TextColor.Warning));
        return TeamsMessage.FromCard(Card($"{title}. Open this message in a Teams client that shows cards to see the secret.", body));
    }

    private TeamsMessage RenderError(ErrorResult error)
    {
        var heading = error.Category switch
        {
            ErrorCategory.Usage => "That command didn't parse",
            ErrorCategory.Denied => "Not allowed here",
            ErrorCategory.Api => "PlanetScale refused the request",
            _ => "Something went wrong on our side",
        };
        var fallback = string.Join("\n", new[] { $"{heading}: {error.Message}", error.Hint, error.Usage is null ? null : MonospaceTable.CodeBlock(error.Usage) }.OfType<string>());
        if (plainText)
        {
            return TeamsMessage.Markdown(fallback);
        }

        List<CardElement> body = [Text(heading, color: TextColor.Attention, bold: true), Text(error.Message)];
        if (error.Hint is not null)
        {
            body.Add(Text(error.Hint, color: TextColor.Accent));
        }

        if (error.Usage is not null)
        {
            body.Add(Text(error.Usage, monospace: true));
        }

        return TeamsMessage.FromCard(Card(fallback, body));
    }

    private TeamsMessage RenderWhoAmI(WhoAmIResult whoami)
    {
        List<(string, string)> facts =
        [
            ("User", $"{whoami.Caller.DisplayName} ({whoami.Caller.UserId})"),
            ("Tenant", whoami.Caller.TenantId ?? "(unknown)"),
            ("Entra groups", whoami.Caller.GroupIds.Count == 0 ? "none found" : string.Join(", ", whoami.Caller.GroupIds)),
            ("Place", $"{whoami.Place.DisplayName} ({string.Join(", ", whoami.Place.Ids)})"),
            ("Roles here", whoami.Roles.Count == 0 ? "none" : string.Join(", ", whoami.Roles)),
            ("Organization", whoami.Organization),
        ];
        var fallback = "Who you are here\n" + string.Join('\n', facts.Select(f => $"{f.Item1}: {f.Item2}"));
        return plainText ? TeamsMessage.Markdown(MonospaceTable.CodeBlock(fallback)) : TeamsMessage.FromCard(Card(fallback, Title("Who you are here"), Facts(facts)) with { Actions = [AccessRequestForm.OpenButton] });
    }

    private TeamsMessage RenderDryRun(DryRunResult dryRun)
    {
        List<(string, string)> facts = [("Decision", dryRun.Decision), ("Method", dryRun.Method), ("Path", dryRun.Path)];
        const string title = "Dry run: nothing was changed";
        var fallback = title + "\n" + string.Join('\n', facts.Select(f => $"{f.Item1}: {f.Item2}"))
            + (dryRun.Body is null ? "" : "\n" + MonospaceTable.CodeBlock(dryRun.Body));
        if (plainText)
        {
            return TeamsMessage.Markdown(fallback);
        }

        List<CardElement> body = [Title(title), Facts(facts)];
        if (dryRun.Body is not null)
        {
            body.Add(Text(TextCut.Truncate(dryRun.Body, 8_000), monospace: true));
        }

        return TeamsMessage.FromCard(Card(fallback, body));
    }

    private TeamsMessage Simple(string title, string facts, string text) => plainText
        ? TeamsMessage.Markdown($"**{title}**\n\n{facts}\n\n{text}")
        : TeamsMessage.FromCard(Card($"{title}\n{facts}\n{text}", Title(title), Subtle(facts), Text(text)));

    /// <summary>Packs rows into as few cards as fit the size and row limits; titles say "part i of n".</summary>
    private List<TeamsMessage> Pages(string title, string facts, IReadOnlyList<string> headers, List<IReadOnlyList<string>> rows, string? footnote)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = Truncated(rows[i]);
        }

        var pages = new List<List<IReadOnlyList<string>>>();
        var current = new List<IReadOnlyList<string>>();
        var widestTitle = $"{title} (part 999 of 999)";

        // The running size is exact (TableCardSizeTests checks it against the serialized card), so no card is
        // built or serialised to decide where a page breaks.
        var size = new TableCardSize(SizeInBytes(BuildTableCard(widestTitle, facts, headers, [], footnote)), headers);
        foreach (var row in rows)
        {
            current.Add(row);
            size.Add(row);
            var full = current.Count > MaxRowsPerCard || size.Bytes > MaxCardBytes;
            if (full && current.Count > 1)
            {
                current.RemoveAt(current.Count - 1);
                pages.Add(current);
                current = [row];
                size.Clear();
                size.Add(row);
            }
        }

        pages.Add(current);
        var messages = new List<TeamsMessage>(pages.Count);
        for (var i = 0; i < pages.Count; i++)
        {
            var pageTitle = pages.Count == 1 ? title : $"{title} (part {i + 1} of {pages.Count})";
            messages.Add(plainText
                ? TeamsMessage.Markdown(FallbackText(pageTitle, facts, headers, pages[i], footnote))
                : TeamsMessage.FromCard(BuildTableCard(pageTitle, facts, headers, pages[i], footnote)));
        }

        return messages;
    }

    /// <summary>The row with every cell cut to <see cref="MaxCellChars"/> (the same row when none is longer).</summary>
    private static IReadOnlyList<string> Truncated(IReadOnlyList<string> row)
    {
        for (var i = 0; i < row.Count; i++)
        {
            if (row[i].Length > MaxCellChars)
            {
                return [.. row.Select(c => TextCut.Truncate(c, MaxCellChars))];
            }
        }

        return row;
    }

    /// <summary>The card for one page of a table (the widest title gives the size every part of the table must fit).</summary>
    internal static AdaptiveCard BuildTableCard(string title, string facts, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, string? footnote)
    {
        List<CardElement> body = [Title(title), Subtle(facts), Table(headers, rows)];
        if (footnote is not null)
        {
            body.Add(Subtle(footnote));
        }

        return Card(FallbackText(title, facts, headers, rows, footnote), body);
    }

    private static string FallbackText(string title, string facts, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, string? footnote) =>
        MonospaceTable.RenderUnder($"{title}\n{facts}", headers, rows, footnote);

    private static List<TeamsMessage> CodeBlocks(string text)
    {
        var chunks = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var piece = TextCut.Truncate(line, MaxTextChars);
            if (current.Length > 0 && current.Length + piece.Length + 1 > MaxTextChars)
            {
                chunks.Add(current.ToString().TrimEnd('\n'));
                current.Clear();
            }

            current.Append(piece).Append('\n');
        }

        chunks.Add(current.ToString().TrimEnd('\n'));
        return [.. chunks.Select(c => TeamsMessage.Markdown(MonospaceTable.CodeBlock(c)))];
    }

    private static string ToneMark(MessageTone tone) => tone switch
    {
        MessageTone.Success => "✅ ",
        MessageTone.Warning => "⚠️ ",
        _ => "",
    };

    private static string Count(int n, string singular, string? plural = null) =>
        $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? singular : plural ?? singular + "s")}";
}
