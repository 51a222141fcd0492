using System.Globalization;
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
/// (or monospace code blocks), a header and a context line, changes marked. The table style is chosen once
/// from the sizes (see <see cref="SlackTables.StyleFor"/>); what still does not fit the allowed number of
/// messages is cut with a note.
/// </summary>
public sealed class SlackBlockKitRenderer(ITextResultRenderer textRenderer)
{
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
            var tables = results.Select(TableOf).ToList();
            var style = SlackTables.StyleFor(context.TableStyle, tables.OfType<SlackTable>(), maxMessages);
            parts = [.. results.SelectMany((r, i) => Parts(r, tables[i], context, style))];
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
        SlackCodeBlocks.Of(textRenderer.Render(result, format).Split('\n'), rowsAreData: true);

    /// <summary>The table a result shows, if it shows one.</summary>
    private static SlackTable? TableOf(CommandResult result) => result switch
    {
        PermissionTable { Rows.Count: > 0 } p => new SlackTable(["Resource", "Type", "Permissions"],
        [
            .. p.Rows.Select(r => new[]
            {
                SlackTableCell.Plain(r.ResourceName),
                SlackTableCell.Plain(r.ResourceKind == ResourceKind.Database ? "database" : "organization"),
                SlackTableCell.Permissions(r.Permissions),
            }),
        ]),
        TokenTable { Tokens.Count: > 0 } t => new SlackTable(["ID", "Name", "Created", "Expires", "Last used"],
        [
            .. t.Tokens.Select(token => new[]
            {
                SlackTableCell.Plain(token.Id),
                SlackTableCell.Plain(token.Name ?? "—"),
                SlackTableCell.Plain(Time(token.CreatedAt)),
                SlackTableCell.Plain(token.ExpiresAt is { } e ? Time(e) : "never"),
                SlackTableCell.Plain(token.LastUsedAt is { } u ? Time(u) : "never"),
            }),
        ]),
        AuditTable { Entries.Count: > 0 } a => new SlackTable(["Time", "User", "Place", "Command", "Decision", "Outcome"],
        [
            .. a.Entries.Select(e => new[]
            {
                SlackTableCell.Plain(Time(e.Time)),
                SlackTableCell.Plain(e.UserId),
                SlackTableCell.Plain(e.Place),
                SlackTableCell.Plain(e.Command),
                SlackTableCell.Plain(e.Decision),
                SlackTableCell.Plain(e.Outcome),
            }),
        ]),
        AccessListResult { Rows.Count: > 0 } l => new SlackTable(["ID", "Status", "Requester", "Token", "Resource", "Permissions", "Until", "Reason"],
        [
            // Same order as the text table: requests first, then grants, each soonest first.
            .. l.Rows.OrderBy(r => r.Kind).ThenBy(r => r.Until).Select(r => new[]
            {
                SlackTableCell.Plain(r.Id),
                SlackTableCell.Plain(r.Status),
                SlackTableCell.Plain(r.Requester),
                SlackTableCell.Plain(r.Target.TokenId),
                SlackTableCell.Plain(r.Target.Database ?? "organization"),
                SlackTableCell.Plain(string.Join(", ", r.Target.Permissions)),
                SlackTableCell.Plain(Until(r.Until, l.Now)),
                SlackTableCell.Plain(r.Note ?? "—"),
            }),
        ]),
        _ => null,
    };

    private static IEnumerable<BlockPart> Parts(CommandResult result, SlackTable? table, SlackRenderContext context, SlackTableStyle style) => result switch
    {
        PermissionTable p => PermissionParts(p, table, context, style),
        TokenTable t => TokenParts(t, table, context, style),
        MessageResult m => SlackCodeBlocks.TextSections($"{ToneIcon(m.Tone)}{Mrkdwn.Escape(m.Text)}"),
        ErrorResult e => ErrorParts(e),
        HelpResult h => SlackCodeBlocks.Of(h.Text.Split('\n'), rowsAreData: false),
        WhoAmIResult w => WhoAmIParts(w),
        DryRunResult d => DryRunParts(d),
        AuditTable => Titled("Audit log", table, style, "_No audit entries._"),
        AccessListResult => AccessListParts(table, style),
        _ => [new BlockPart(BlockKit.Section("_Nothing to show._"))],
    };

    private static IEnumerable<BlockPart> PermissionParts(PermissionTable result, SlackTable? table, SlackRenderContext context, SlackTableStyle style)
    {
        yield return new BlockPart(BlockKit.Header($"Access for token {result.TokenId}"));
        yield return new BlockPart(ContextLine(result.Organization, result.TokenId, context));
        if (table is null)
        {
            yield return new BlockPart(BlockKit.Section("_This token has no permissions._"));
            yield break;
        }

        foreach (var part in SlackTables.Draw(table, style))
        {
            yield return part;
        }

        if (result.Rows.SelectMany(r => r.Permissions).Any(p => p.Change != PermissionChange.Unchanged))
        {
            yield return new BlockPart(BlockKit.Context(style == SlackTableStyle.Table
                ? "*bold +name*: just added · ~struck~: just removed"
                : "`+name`: just added · `-name`: just removed"));
        }
    }

    private static IEnumerable<BlockPart> TokenParts(TokenTable result, SlackTable? table, SlackRenderContext context, SlackTableStyle style)
    {
        var first = result.Tokens.FirstOrDefault();
        yield return new BlockPart(BlockKit.Header(result.Kind switch
        {
            TokenTableKind.Created => $"New service token {first?.Id}",
            TokenTableKind.Show => $"Service token {first?.Id}",
            _ => $"Service tokens in {result.Organization}",
        }));
        yield return new BlockPart(ContextLine(result.Organization, result.Kind == TokenTableKind.List ? null : first?.Id, context));
        if (table is null)
        {
            yield return new BlockPart(BlockKit.Section("_No service tokens._"));
            yield break;
        }

        foreach (var part in SlackTables.Draw(table, style))
        {
            yield return part;
        }

        foreach (var token in result.Tokens.Where(t => t.Secret is not null))
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
            foreach (var part in SlackCodeBlocks.Of(error.Usage.Split('\n'), rowsAreData: false))
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
            foreach (var part in SlackCodeBlocks.Of(dryRun.Body.Split('\n'), rowsAreData: false))
            {
                yield return part;
            }
        }
    }

    private static IEnumerable<BlockPart> AccessListParts(SlackTable? table, SlackTableStyle style)
    {
        foreach (var part in Titled("Access requests and grants", table, style, "_No pending access requests or active grants._"))
        {
            yield return part;
        }

        if (table is not null)
        {
            yield return new BlockPart(BlockKit.Context("`access approve r-…` · `access deny r-…` · `access extend g-… --for 1h` · `access revoke g-…`"));
        }
    }

    /// <summary>A header, then the table, or a line saying it is empty.</summary>
    private static IEnumerable<BlockPart> Titled(string title, SlackTable? table, SlackTableStyle style, string emptyText)
    {
        yield return new BlockPart(BlockKit.Header(title));
        if (table is null)
        {
            yield return new BlockPart(BlockKit.Section(emptyText));
            yield break;
        }

        foreach (var part in SlackTables.Draw(table, style))
        {
            yield return part;
        }
    }

    private static string Until(DateTimeOffset until, DateTimeOffset now)
    {
        var left = until - now;
        return left > TimeSpan.Zero
            ? $"{AccessText.Time(until)} (in {AccessText.Duration(left)})"
            : $"{AccessText.Time(until)} ({AccessText.Duration(-left)} ago)";
    }

    private static ContextBlock ContextLine(string organization, string? tokenId, SlackRenderContext context)
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
}
