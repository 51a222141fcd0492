using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>What a rendering needs to know beyond the results.</summary>
/// <param name="RequesterSlackUserId">The caller's Slack user id (U…), for "asked by".</param>
/// <param name="At">When the command was answered.</param>
/// <param name="TableStyle">Table blocks or code blocks.</param>
public sealed record SlackRenderContext(string? RequesterSlackUserId, DateTimeOffset At, SlackTableStyle TableStyle);

/// <summary>
/// Renders command results as Block Kit messages within every Slack limit: tables as <c>table</c> blocks
/// (or monospace code blocks), a header and a context line, changes marked. Too much for the allowed number
/// of messages falls back to the denser code-block style, then is cut with a note.
/// </summary>
public sealed class SlackBlockKitRenderer(ITextResultRenderer textRenderer)
{
    private const int MaxTableDataRows = SlackMessageLimits.MaxTableRows - 1;
    private const int CodeBlockBudget = SlackMessageLimits.MaxSectionText - 8;

    /// <summary>Renders <paramref name="results"/> into at most <paramref name="maxMessages"/> messages.</summary>
    public IReadOnlyList<SlackMessage> Render(IReadOnlyList<CommandResult> results, OutputFormat format, SlackRenderContext context, int maxMessages)
    {
        maxMessages = Math.Max(1, maxMessages);
        var fallback = Fallback(results);
        List<BlockPart> parts;
        if (format != OutputFormat.Human && results.Any(r => r is not ErrorResult))
        {
            parts = [.. results.SelectMany(r => r is ErrorResult e ? ErrorParts(e) : FormattedParts(r, format))];
        }
        else
        {
            parts = [.. results.SelectMany(r => Parts(r, context, context.TableStyle))];
            if (SlackMessageComposer.TryPack(parts, fallback, maxMessages) is { } packed)
            {
                return packed;
            }

            if (context.TableStyle == SlackTableStyle.Table)
            {
                parts = [.. results.SelectMany(r => Parts(r, context, SlackTableStyle.CodeBlock))];
            }
        }

        return SlackMessageComposer.TryPack(parts, fallback, maxMessages)
            ?? SlackMessageComposer.PackTruncated(parts, fallback, maxMessages, parts.Sum(p => p.Rows));
    }

    /// <summary>The one-line fallback text for notifications and screen readers (no secrets).</summary>
    public static string Fallback(IReadOnlyList<CommandResult> results)
    {
        var first = results.FirstOrDefault();
        var text = first switch
        {
            PermissionTable p => $"Access for token {p.TokenId} in {p.Organization} ({p.Rows.Count} resources)",
            TokenTable { Kind: TokenTableKind.Created } t => $"New service token {t.Tokens.FirstOrDefault()?.Id} in {t.Organization}",
            TokenTable { Kind: TokenTableKind.Show } t => $"Service token {t.Tokens.FirstOrDefault()?.Id} in {t.Organization}",
            TokenTable t => $"{t.Tokens.Count} service tokens in {t.Organization}",
            MessageResult m => m.Text,
            ErrorResult e => $"Error: {e.Message}",
            HelpResult => "pscale help",
            WhoAmIResult w => $"You are {w.Caller.DisplayName} in {w.Place.DisplayName}",
            DryRunResult d => $"Dry run: {d.Method} {d.Path}",
            AuditTable a => $"{a.Entries.Count} audit entries",
            AccessListResult l => $"{l.Rows.Count(r => r.Kind == AccessListRowKind.Request)} pending access requests, {l.Rows.Count(r => r.Kind == AccessListRowKind.Grant)} active grants",
            null => "Done.",
            _ => "pscale",
        };
        return BlockKit.Truncate(Mrkdwn.Escape(text), SlackMessageLimits.MaxFallbackText);
    }

    private IEnumerable<BlockPart> FormattedParts(CommandResult result, OutputFormat format) =>
        CodeBlocks(textRenderer.Render(result, format).Split('\n'), rowsAreData: true);

    private static IEnumerable<BlockPart> Parts(CommandResult result, SlackRenderContext context, SlackTableStyle style) => result switch
    {
        PermissionTable p => PermissionParts(p, context, style),
        TokenTable t => TokenParts(t, context, style),
        MessageResult m => [.. TextSections($"{ToneIcon(m.Tone)}{Mrkdwn.Escape(m.Text)}")],
        ErrorResult e => ErrorParts(e),
        HelpResult h => CodeBlocks(h.Text.Split('\n'), rowsAreData: false),
        WhoAmIResult w => WhoAmIParts(w),
        DryRunResult d => DryRunParts(d),
        AuditTable a => AuditParts(a, style),
        AccessListResult l => AccessListParts(l, style),
        _ => [new BlockPart(BlockKit.Section("_Nothing to show._"))],
    };

    private static IEnumerable<BlockPart> PermissionParts(PermissionTable table, SlackRenderContext context, SlackTableStyle style)
    {
        yield return new BlockPart(BlockKit.Header($"Access for token {table.TokenId}"));
        yield return new BlockPart(ContextLine(table.Organization, table.TokenId, context));
        if (table.Rows.Count == 0)
        {
            yield return new BlockPart(BlockKit.Section("_This token has no permissions._"));
            yield break;
        }

        var rows = table.Rows.Select(r => new[]
        {
            Cell.Plain(r.ResourceName),
            Cell.Plain(r.ResourceKind == ResourceKind.Database ? "database" : "organization"),
            Cell.Permissions(r.Permissions),
        }).ToList();
        foreach (var part in Table(["Resource", "Type", "Permissions"], rows, style))
        {
            yield return part;
        }

        if (table.Rows.SelectMany(r => r.Permissions).Any(p => p.Change != PermissionChange.Unchanged))
        {
            yield return new BlockPart(BlockKit.Context(style == SlackTableStyle.Table
                ? "*bold +name*: just added · ~struck~: just removed"
                : "`+name`: just added · `-name`: just removed"));
        }
    }

    private static IEnumerable<BlockPart> TokenParts(TokenTable table, SlackRenderContext context, SlackTableStyle style)
    {
        var first = table.Tokens.FirstOrDefault();
        yield return new BlockPart(BlockKit.Header(table.Kind switch
        {
            TokenTableKind.Created => $"New service token {first?.Id}",
            TokenTableKind.Show => $"Service token {first?.Id}",
            _ => $"Service tokens in {table.Organization}",
        }));
        yield return new BlockPart(ContextLine(table.Organization, table.Kind == TokenTableKind.List ? null : first?.Id, context));
        if (table.Tokens.Count == 0)
        {
            yield return new BlockPart(BlockKit.Section("_No service tokens._"));
            yield break;
        }

        var rows = table.Tokens.Select(t => new[]
        {
            Cell.Plain(t.Id),
            Cell.Plain(t.Name ?? "—"),
            Cell.Plain(Time(t.CreatedAt)),
            Cell.Plain(t.ExpiresAt is { } e ? Time(e) : "never"),
            Cell.Plain(t.LastUsedAt is { } u ? Time(u) : "never"),
        }).ToList();
        foreach (var part in Table(["ID", "Name", "Created", "Expires", "Last used"], rows, style))
        {
            yield return part;
        }

        foreach (var token in table.Tokens.Where(t => t.Secret is not null))
        {
            // Only ever rendered into replies the delivery layer sends privately (CommandResponse.ContainsSecret).
            yield return new BlockPart(BlockKit.Section(
                $":key: *Secret of token {Mrkdwn.Code(token.Id)}* (only you can see this):\n```{Mrkdwn.CodeBlockContent(token.Secret!.Reveal())}```"));
            yield return new BlockPart(BlockKit.Context(":warning: Copy it now into your secret store: PlanetScale never shows it again."));
        }
    }

    private static IEnumerable<BlockPart> ErrorParts(ErrorResult error)
    {
        var icon = error.Category == ErrorCategory.Denied ? ":no_entry:" : ":x:";
        yield return new BlockPart(BlockKit.Section($"{icon} {Mrkdwn.Escape(error.Message)}"));
        if (!string.IsNullOrWhiteSpace(error.Hint))
        {
            yield return new BlockPart(BlockKit.Section(Mrkdwn.Escape(error.Hint)));
        }

        if (!string.IsNullOrWhiteSpace(error.Usage))
        {
            foreach (var part in CodeBlocks(error.Usage.Split('\n'), rowsAreData: false))
            {
                yield return part;
            }
        }
    }

    private static IEnumerable<BlockPart> WhoAmIParts(WhoAmIResult who)
    {
        yield return new BlockPart(BlockKit.Header("Who am I"));
        yield return new BlockPart(BlockKit.Fields(
        [
            $"*User*\n{Mrkdwn.Code(who.Caller.UserId)} ({Mrkdwn.Escape(who.Caller.DisplayName)})",
            $"*Place*\n{Mrkdwn.Code(who.Place.PrimaryId)} ({Mrkdwn.Escape(who.Place.DisplayName)})",
            $"*Groups*\n{(who.Caller.GroupIds.Count == 0 ? "none" : string.Join(", ", who.Caller.GroupIds.Select(Mrkdwn.Code)))}",
            $"*Roles here*\n{(who.Roles.Count == 0 ? "none" : string.Join(", ", who.Roles.Select(Mrkdwn.Code)))}",
            $"*Organization*\n{Mrkdwn.Code(who.Organization)}",
        ]));
    }

    private static IEnumerable<BlockPart> DryRunParts(DryRunResult dryRun)
    {
        yield return new BlockPart(BlockKit.Header("Dry run: nothing was changed"));
        yield return new BlockPart(BlockKit.Section(Mrkdwn.Escape(dryRun.Decision)));
        yield return new BlockPart(BlockKit.Section($"Would call {Mrkdwn.Code($"{dryRun.Method} {dryRun.Path}")}"));
        if (!string.IsNullOrWhiteSpace(dryRun.Body))
        {
            foreach (var part in CodeBlocks(dryRun.Body.Split('\n'), rowsAreData: false))
            {
                yield return part;
            }
        }
    }

    private static IEnumerable<BlockPart> AuditParts(AuditTable audit, SlackTableStyle style)
    {
        yield return new BlockPart(BlockKit.Header("Audit log"));
        if (audit.Entries.Count == 0)
        {
            yield return new BlockPart(BlockKit.Section("_No audit entries._"));
            yield break;
        }

        var rows = audit.Entries.Select(e => new[]
        {
            Cell.Plain(Time(e.Time)),
            Cell.Plain(e.UserId),
            Cell.Plain(e.Place),
            Cell.Plain(e.Command),
            Cell.Plain(e.Decision),
            Cell.Plain(e.Outcome),
        }).ToList();
        foreach (var part in Table(["Time", "User", "Place", "Command", "Decision", "Outcome"], rows, style))
        {
            yield return part;
        }
    }

    private static IEnumerable<BlockPart> AccessListParts(AccessListResult list, SlackTableStyle style)
    {
        yield return new BlockPart(BlockKit.Header("Access requests and grants"));
        if (list.Rows.Count == 0)
        {
            yield return new BlockPart(BlockKit.Section("_No pending access requests or active grants._"));
            yield break;
        }

        // Same order as the text table: requests first, then grants, each soonest first.
        var rows = list.Rows
            .OrderBy(r => r.Kind)
            .ThenBy(r => r.Until)
            .Select(r => new[]
            {
                Cell.Plain(r.Id),
                Cell.Plain(r.Status),
                Cell.Plain(r.Requester),
                Cell.Plain(r.Target.TokenId),
                Cell.Plain(r.Target.Database ?? "organization"),
                Cell.Plain(string.Join(", ", r.Target.Permissions)),
                Cell.Plain(Until(r.Until, list.Now)),
                Cell.Plain(r.Note ?? "—"),
            })
            .ToList();
        foreach (var part in Table(["ID", "Status", "Requester", "Token", "Resource", "Permissions", "Until", "Reason"], rows, style))
        {
            yield return part;
        }

        yield return new BlockPart(BlockKit.Context("`access approve r-…` · `access deny r-…` · `access extend g-… --for 1h` · `access revoke g-…`"));
    }

    private static string Until(DateTimeOffset until, DateTimeOffset now)
    {
        var left = until - now;
        return left > TimeSpan.Zero
            ? $"{AccessText.Time(until)} (in {AccessText.Duration(left)})"
            : $"{AccessText.Time(until)} ({AccessText.Duration(-left)} ago)";
    }

    private static IEnumerable<BlockPart> Table(string[] header, List<Cell[]> rows, SlackTableStyle style) =>
        style == SlackTableStyle.Table ? TableBlocks(header, rows) : CodeTable(header, rows);

    private static IEnumerable<BlockPart> TableBlocks(string[] header, List<Cell[]> rows)
    {
        var headerRow = new JsonArray([.. header.Select(h => (JsonNode)BlockKit.RichCell([(h, TextStyle.Bold)]))]);
        var headerChars = header.Sum(h => h.Length);
        var chunk = new List<JsonArray>();
        var chars = headerChars;
        foreach (var row in rows)
        {
            var cells = row.Select(c => c.ToTableCell()).ToArray();
            var rowChars = cells.Sum(c => BlockKit.TextLength(c));
            if (chunk.Count > 0 && (chunk.Count >= MaxTableDataRows || chars + rowChars > SlackMessageLimits.MaxTableText))
            {
                yield return MakeTable(headerRow, chunk);
                chunk = [];
                chars = headerChars;
            }

            chunk.Add(new JsonArray([.. cells]));
            chars += rowChars;
        }

        if (chunk.Count > 0)
        {
            yield return MakeTable(headerRow, chunk);
        }
    }

    private static BlockPart MakeTable(JsonArray headerRow, List<JsonArray> rows) =>
        new(BlockKit.Table(
            [(JsonArray)headerRow.DeepClone(), .. rows],
            Enumerable.Range(0, headerRow.Count).Select(i => new JsonObject { ["is_wrapped"] = true })), rows.Count);

    private static IEnumerable<BlockPart> CodeTable(string[] header, List<Cell[]> rows)
    {
        var texts = rows.Select(r => r.Select(c => c.ToPlainText()).ToArray()).ToList();
        var widths = header.Select((h, i) => Math.Min(40, Math.Max(h.Length, texts.Count == 0 ? 0 : texts.Max(t => t[i].Length)))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        return CodeBlocks(texts.Select(Line), rowsAreData: true, heading: Line([.. header.Select(h => h.ToUpperInvariant())]));
    }

    /// <summary>Lines in code-block sections of at most 3000 characters; a heading line repeats in each.</summary>
    private static IEnumerable<BlockPart> CodeBlocks(IEnumerable<string> lines, bool rowsAreData, string? heading = null)
    {
        var head = heading is null ? null : Mrkdwn.CodeBlockContent(heading);
        var builder = new StringBuilder();
        var rows = 0;
        foreach (var raw in lines)
        {
            var line = BlockKit.Truncate(Mrkdwn.CodeBlockContent(raw.TrimEnd('\r')), CodeBlockBudget - (head?.Length + 1 ?? 0) - 1);
            if (builder.Length > 0 && builder.Length + line.Length + 1 > CodeBlockBudget - (head?.Length + 1 ?? 0))
            {
                yield return CodeSection(head, builder, rows);
                builder.Clear();
                rows = 0;
            }

            builder.Append(line).Append('\n');
            rows += rowsAreData ? 1 : 0;
        }

        if (builder.Length > 0 || head is not null)
        {
            yield return CodeSection(head, builder, rows);
        }
    }

    private static BlockPart CodeSection(string? head, StringBuilder body, int rows)
    {
        var content = (head is null ? "" : head + "\n") + body.ToString().TrimEnd('\n');
        return new BlockPart(BlockKit.Section($"```{(content.Length == 0 ? " " : content)}```"), rows);
    }

    private static IEnumerable<BlockPart> TextSections(string mrkdwn)
    {
        for (var start = 0; start < mrkdwn.Length; start += SlackMessageLimits.MaxSectionText)
        {
            yield return new BlockPart(BlockKit.Section(mrkdwn.Substring(start, Math.Min(SlackMessageLimits.MaxSectionText, mrkdwn.Length - start))));
        }

        if (mrkdwn.Length == 0)
        {
            yield return new BlockPart(BlockKit.Section(" "));
        }
    }

    private static JsonObject ContextLine(string organization, string? tokenId, SlackRenderContext context)
    {
        var elements = new List<string> { $"Organization {Mrkdwn.Code(organization)}" };
        if (tokenId is not null)
        {
            elements.Add($"Token {Mrkdwn.Code(tokenId)}");
        }

        if (context.RequesterSlackUserId is not null)
        {
            elements.Add($"Asked by {Mrkdwn.UserMention(context.RequesterSlackUserId)}");
        }

        elements.Add(Mrkdwn.Date(context.At));
        return BlockKit.Context([.. elements]);
    }

    private static string ToneIcon(MessageTone tone) => tone switch
    {
        MessageTone.Success => ":white_check_mark: ",
        MessageTone.Warning => ":warning: ",
        _ => "",
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>One table cell, drawable as a table-block cell or as monospace text.</summary>
    private sealed record Cell(string? Text, IReadOnlyList<PermissionEntry>? Entries)
    {
        public static Cell Plain(string text) => new(text, null);

        public static Cell Permissions(IReadOnlyList<PermissionEntry> entries) => new(null, entries);

        public JsonObject ToTableCell()
        {
            if (Entries is null)
            {
                return BlockKit.RawCell(Text ?? "");
            }

            var runs = new List<(string, TextStyle)>();
            foreach (var (entry, index) in Entries.Select((e, i) => (e, i)))
            {
                if (index > 0)
                {
                    runs.Add((", ", TextStyle.None));
                }

                runs.Add(entry.Change switch
                {
                    PermissionChange.Added => ($"+{entry.Name}", TextStyle.Bold),
                    PermissionChange.Removed => (entry.Name, TextStyle.Strike),
                    _ => (entry.Name, TextStyle.None),
                });
            }

            return BlockKit.RichCell(runs);
        }

        public string ToPlainText() => Entries is null
            ? Text ?? ""
            : string.Join(", ", Entries.Select(e => e.Change switch
            {
                PermissionChange.Added => $"+{e.Name}",
                PermissionChange.Removed => $"-{e.Name}",
                _ => e.Name,
            }));
    }
}
