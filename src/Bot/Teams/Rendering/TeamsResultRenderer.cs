using PscaleBot.Commands.Text;
using System.Globalization;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;
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
/// Renders command results for Teams: permission, token and audit tables as Adaptive Card 1.5 <c>Table</c>s
/// split so each card stays under <see cref="MaxCardBytes"/>, with a code-block <c>fallbackText</c>; other
/// results as small cards or text; <c>--format json|csv</c> as code blocks from <see cref="ITextResultRenderer"/>.
/// With <c>plainText</c> every table is sent as its code-block form instead of a card.
/// </summary>
internal sealed class TeamsResultRenderer(ITextResultRenderer? textRenderer, bool plainText = false)
{
    /// <summary>Teams allows ~100 KB per message counted in UTF-16; 25 KB of JSON keeps a wide margin.</summary>
    public const int MaxCardBytes = 25 * 1024;
    public const int MaxRowsPerCard = 40;
    public const int MaxTextChars = 20_000;
    private const int MaxCellChars = 1_000;

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
            PermissionTable table => RenderPermissions(table, context),
            TokenTable tokens => RenderTokens(tokens, context),
            AuditTable audit => RenderAudit(audit, context),
            AccessListResult access => RenderAccessList(access, context),
            MessageResult message => [TeamsMessage.Plain(ToneMark(message.Tone) + message.Text)],
            ErrorResult error => [RenderError(error)],
            HelpResult help => CodeBlocks(help.Text),
            WhoAmIResult whoami => [RenderWhoAmI(whoami)],
            DryRunResult dryRun => [RenderDryRun(dryRun)],
            _ => [TeamsMessage.Plain("This answer cannot be shown in Teams yet.")],
        };
    }

    private IReadOnlyList<TeamsMessage> RenderPermissions(PermissionTable table, TeamsRenderContext context)
    {
        var title = $"Access of token {table.TokenId}";
        var facts = $"Org: {table.Organization} · Token: {table.TokenId} · Asked by: {context.RequesterName}";
        if (table.Rows.Count == 0)
        {
            return [Simple(title, facts, "This token has no permissions.")];
        }

        var rows = table.Rows.Select(r => (IReadOnlyList<string>)
        [
            r.ResourceName,
            r.ResourceKind == ResourceKind.Organization ? "organization" : "database",
            string.Join(", ", r.Permissions.Select(Mark)),
        ]).ToList();
        var changed = table.Rows.SelectMany(r => r.Permissions).Any(p => p.Change != PermissionChange.Unchanged);
        return Pages(title, facts, ["Resource", "Scope", "Permissions"], rows,
            changed ? "(added) = just granted, (removed) = just taken away" : null);
    }

    private IReadOnlyList<TeamsMessage> RenderTokens(TokenTable table, TeamsRenderContext context)
    {
        if (table.Kind == TokenTableKind.Created)
        {
            return [.. table.Tokens.Select(t => RenderCreated(table.Organization, t, context))];
        }

        var title = table.Kind == TokenTableKind.Show && table.Tokens.Count == 1
            ? $"Service token {table.Tokens[0].Id}"
            : $"Service tokens in {table.Organization}";
        var facts = $"Org: {table.Organization} · {Count(table.Tokens.Count, "token")} · Asked by: {context.RequesterName}";
        if (table.Tokens.Count == 0)
        {
            return [Simple(title, facts, "No service tokens.")];
        }

        var rows = table.Tokens.Select(t => (IReadOnlyList<string>)
            [t.Id, t.Name ?? "", Time(t.CreatedAt), t.ExpiresAt is { } e ? Time(e) : "never", t.LastUsedAt is { } u ? Time(u) : "never"]).ToList();
        return Pages(title, facts, ["ID", "Name", "Created", "Expires", "Last used"], rows, null);
    }

    private TeamsMessage RenderCreated(string organization, ServiceToken token, TeamsRenderContext context)
    {
        var title = $"New service token {token.Id}";
        var facts = $"Org: {organization} · Token: {token.Id} · Asked by: {context.RequesterName}";
        List<(string, string)> details =
        [
            ("ID", token.Id),
            ("Name", token.Name ?? "(none)"),
            ("Created", Time(token.CreatedAt)),
            ("Expires", token.ExpiresAt is { } e ? Time(e) : "never"),
        ];
        var secret = token.Secret?.Reveal();
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

    private IReadOnlyList<TeamsMessage> RenderAudit(AuditTable audit, TeamsRenderContext context)
    {
        const string title = "Recent audit entries";
        var facts = $"{Count(audit.Entries.Count, "entry", "entries")} · Asked by: {context.RequesterName}";
        if (audit.Entries.Count == 0)
        {
            return [Simple(title, facts, "No audit entries yet.")];
        }

        var rows = audit.Entries.Select(e => (IReadOnlyList<string>)
            [Time(e.Time), e.UserId, e.Place, e.Command, e.Decision, e.Outcome]).ToList();
        return Pages(title, facts, ["Time", "Who", "Where", "Command", "Decision", "Outcome"], rows, null);
    }

    private IReadOnlyList<TeamsMessage> RenderAccessList(AccessListResult list, TeamsRenderContext context)
    {
        const string title = "Access requests and grants";
        var requests = list.Rows.Count(r => r.Kind == AccessListRowKind.Request);
        var facts = $"{Count(requests, "pending request")} · {Count(list.Rows.Count - requests, "active grant")} · Asked by: {context.RequesterName}";
        if (list.Rows.Count == 0)
        {
            return [Simple(title, facts, "No pending access requests or active grants.")];
        }

        var rows = list.Rows
            .OrderBy(r => r.Kind)
            .ThenBy(r => r.Until)
            .Select(r => (IReadOnlyList<string>)
            [
                r.Id,
                r.Status,
                r.Requester,
                r.Target.TokenId,
                r.Target.Database ?? "organization",
                string.Join(", ", r.Target.Permissions),
                Until(r.Until, list.Now),
                r.Note ?? "",
            ]).ToList();
        return Pages(title, facts, ["ID", "Status", "Requester", "Token", "Resource", "Permissions", "Until", "Reason"], rows, null);
    }

    private static string Until(DateTimeOffset until, DateTimeOffset now) => until > now
        ? $"{Time(until)} (in {AccessText.Duration(until - now)})"
        : $"{Time(until)} ({AccessText.Duration(now - until)} ago)";

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
            ("Place", $"{whoami.Place.DisplayName} ({string.Join(", ", whoami.Place.Ids)})"),
            ("Roles here", whoami.Roles.Count == 0 ? "none" : string.Join(", ", whoami.Roles)),
            ("Organization", whoami.Organization),
        ];
        var fallback = "Who you are here\n" + string.Join('\n', facts.Select(f => $"{f.Item1}: {f.Item2}"));
        return plainText ? TeamsMessage.Markdown(MonospaceTable.CodeBlock(fallback)) : TeamsMessage.FromCard(Card(fallback, Title("Who you are here"), Facts(facts)));
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
        rows = [.. rows.Select(r => (IReadOnlyList<string>)[.. r.Select(c => TextCut.Truncate(c, MaxCellChars))])];
        var pages = new List<List<IReadOnlyList<string>>>();
        var current = new List<IReadOnlyList<string>>();
        var widestTitle = $"{title} (part 999 of 999)";

        // The running size is exact, so the whole card is serialised only to confirm a page break.
        var size = new TableCardSize(SizeInBytes(BuildTableCard(widestTitle, facts, headers, [], footnote)), headers);
        foreach (var row in rows)
        {
            current.Add(row);
            size.Add(row);
            var full = current.Count > MaxRowsPerCard
                || (size.Bytes > MaxCardBytes && SizeInBytes(BuildTableCard(widestTitle, facts, headers, current, footnote)) > MaxCardBytes);
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
        return [.. pages.Select((page, i) =>
        {
            var pageTitle = pages.Count == 1 ? title : $"{title} (part {i + 1} of {pages.Count})";
            return plainText
                ? TeamsMessage.Markdown(FallbackText(pageTitle, facts, headers, page, footnote))
                : TeamsMessage.FromCard(BuildTableCard(pageTitle, facts, headers, page, footnote));
        })];
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
        $"{title}\n{facts}\n{MonospaceTable.Render(headers, rows)}" + (footnote is null ? "" : "\n" + footnote);

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

    private static string Mark(PermissionEntry entry) => entry.Change switch
    {
        PermissionChange.Added => $"{entry.Name} (added)",
        PermissionChange.Removed => $"{entry.Name} (removed)",
        _ => entry.Name,
    };

    private static string ToneMark(MessageTone tone) => tone switch
    {
        MessageTone.Success => "✅ ",
        MessageTone.Warning => "⚠️ ",
        _ => "",
    };

    private static string Count(int n, string singular, string? plural = null) =>
        $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? singular : plural ?? singular + "s")}";

    private static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

}
