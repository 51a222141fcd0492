using PscaleBot.Commands.Access;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;
using PscaleBot.Commands.Results.Tables;

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
        var (parts, fallback) = PartsOf(results, format, context, maxMessages);
        return SlackMessageComposer.TryPack(parts, fallback, maxMessages)
            ?? SlackMessageComposer.PackTruncated(parts, fallback, maxMessages, parts.Sum(p => p.Rows));
    }

    /// <summary>The messages for <paramref name="results"/> when they fit <paramref name="maxMessages"/> whole; null when they would be cut.</summary>
    public IReadOnlyList<SlackMessage>? TryRender(IReadOnlyList<CommandResult> results, OutputFormat format, SlackRenderContext context, int maxMessages)
    {
        maxMessages = Math.Max(1, maxMessages);
        var (parts, fallback) = PartsOf(results, format, context, maxMessages);
        return SlackMessageComposer.TryPack(parts, fallback, maxMessages);
    }

    private (List<BlockPart> Parts, string Fallback) PartsOf(IReadOnlyList<CommandResult> results, OutputFormat format, SlackRenderContext context, int maxMessages)
    {
        var fallback = Fallback(results);
        List<BlockPart> parts;
        if (format != OutputFormat.Human && results.Any(r => r is not ErrorResult))
        {
            parts = [.. results.SelectMany(r => r is ErrorResult e ? ErrorParts(e) : FormattedParts(r, format))];
        }
        else
        {
            var tables = results.Select(r => TableOf(r, context.At)).ToList();
            var style = SlackTables.StyleFor(context.TableStyle, tables.OfType<SlackTable>(), maxMessages);
            parts = [.. results.SelectMany((r, i) => Parts(r, tables[i], context, style))];
        }

        return (parts, fallback);
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

    /// <summary>The table a result shows, from the one table view every format draws.</summary>
    private static SlackTable? TableOf(CommandResult result, DateTimeOffset now) =>
        TableViews.For(result) is { } view ? SlackTable.Of(view, now) : null;

    private static IEnumerable<BlockPart> Parts(CommandResult result, SlackTable? table, SlackRenderContext context, SlackTableStyle style) => (result, table) switch
    {
        (PermissionTable p, { } t) => TableParts(t, ContextLine(p.Organization, p.TokenId, context), style),
        (TokenTable tokens, { } t) => [.. TableParts(t, TokenContext(tokens, context), style), .. SecretParts(tokens)],
        (AccessListResult, { } t) => [.. TableParts(t, null, style), .. AccessHint(t)],
        (_, { } t) => TableParts(t, null, style),
        (MessageResult m, _) => SlackCodeBlocks.TextSections($"{ToneIcon(m.Tone)}{Mrkdwn.Escape(m.Text)}"),
        (ErrorResult e, _) => ErrorParts(e),
        (HelpResult h, _) => SlackCodeBlocks.Of(h.Text.Split('\n'), rowsAreData: false),
        (WhoAmIResult w, _) => WhoAmIParts(w),
        (DryRunResult d, _) => DryRunParts(d),
        _ => [new BlockPart(BlockKit.Section("_Nothing to show._"))],
    };

    /// <summary>The view's title, a context line if any, then the table and its legend, or the view's empty sentence.</summary>
    private static IEnumerable<BlockPart> TableParts(SlackTable table, ContextBlock? context, SlackTableStyle style)
    {
        yield return new BlockPart(BlockKit.Header(table.View.Title));
        if (context is not null)
        {
            yield return new BlockPart(context);
        }

        if (table.Rows.Count == 0)
        {
            yield return new BlockPart(BlockKit.Section($"_{Mrkdwn.Escape(table.View.EmptyText)}_"));
            yield break;
        }

        foreach (var part in SlackTables.Draw(table, style))
        {
            yield return part;
        }

        if (table.View.Legend is { } legend)
        {
            yield return new BlockPart(BlockKit.Context(Mrkdwn.Escape(legend)));
        }
    }

    private static ContextBlock TokenContext(TokenTable tokens, SlackRenderContext context) =>
        ContextLine(tokens.Organization, tokens.Kind == TokenTableKind.List ? null : tokens.Tokens.FirstOrDefault()?.Id, context);

    private static IEnumerable<BlockPart> SecretParts(TokenTable tokens)
    {
        foreach (var token in tokens.Tokens.Where(t => t.Secret is not null))
        {
            // Only ever rendered into replies the delivery layer sends privately (CommandResponse.ContainsSecret).
            yield return new BlockPart(BlockKit.Section(
                $":key: *Secret of token {Mrkdwn.Code(token.Id)}* (only you can see this):\n```{Mrkdwn.CodeBlockContent(token.Secret!.Reveal())}```"));
            yield return new BlockPart(BlockKit.Context(":warning: Copy it now into your secret store: PlanetScale never shows it again."));
        }
    }

    private static IEnumerable<BlockPart> AccessHint(SlackTable table) => table.Rows.Count == 0
        ? []
        : [new BlockPart(BlockKit.Context("`access approve r-…` · `access deny r-…` · `access extend g-… --for 1h` · `access revoke g-…`"))];

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

}
