using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.AuditExport;

/// <summary>Where the audit export goes.</summary>
public enum AuditExportMode
{
    /// <summary>No export (the default).</summary>
    Off,

    /// <summary>Append JSON Lines to <see cref="AuditExportOptions.Path"/>.</summary>
    File,

    /// <summary>POST batches of JSON Lines to <see cref="AuditExportOptions.WebhookUrl"/>.</summary>
    Webhook,
}

/// <summary>The JSON Lines export of the audit log (section <c>AuditExport</c>).</summary>
public sealed class AuditExportOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AuditExport";

    /// <summary>Off, File or Webhook (text, so a misspelling is a start-up sentence rather than a binder exception).</summary>
    public string Mode { get; set; } = nameof(AuditExportMode.Off);

    /// <summary><see cref="Mode"/> read; null when it names no mode.</summary>
    public AuditExportMode? ParsedMode =>
        Enum.TryParse<AuditExportMode>(Mode, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(Mode, out _) ? mode : null;

    /// <summary>The mode to run; Off when <see cref="Mode"/> names none (start-up has refused that already).</summary>
    public AuditExportMode Kind => ParsedMode ?? AuditExportMode.Off;

    /// <summary>File mode: the file appended to; a relative path is resolved against the content root.</summary>
    public string? Path { get; set; }

    /// <summary>Webhook mode: the URL each batch is POSTed to (<c>application/x-ndjson</c>); https, or http on loopback only.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Webhook mode, optional: the <c>Authorization</c> header value sent (for example <c>Splunk &lt;token&gt;</c>). A secret: never logged.</summary>
    public string? WebhookAuthorization { get; set; }

    /// <summary>Rows per file write or POST at most.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How often new rows are looked for, and how soon a failed destination is tried again.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Webhook mode: one POST attempt; the POST with its retries gets three times this.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The cursor's key in the store: each destination kind keeps its own place.</summary>
    public string SinkName => Kind.ToString().ToLowerInvariant();
}

/// <summary>Checks the export's settings at start-up, one sentence per mistake naming the setting.</summary>
public sealed class AuditExportOptionsValidator : IValidateOptions<AuditExportOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuditExportOptions options)
    {
        if (options.ParsedMode is not { } mode)
        {
            return ValidateOptionsResult.Fail($"AuditExport:Mode must be Off, File or Webhook; '{options.Mode}' was given.");
        }

        if (mode == AuditExportMode.Off)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (mode == AuditExportMode.File && string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("AuditExport:Path is required when AuditExport:Mode is File: the JSON Lines file to append to (for example data/audit.jsonl).");
        }

        if (mode == AuditExportMode.Webhook)
        {
            if (options.WebhookUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add("AuditExport:WebhookUrl is required when AuditExport:Mode is Webhook: an absolute https:// URL that accepts POSTed JSON Lines.");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
            {
                failures.Add($"AuditExport:WebhookUrl must use https (http is allowed only on loopback); {url.Host} was given with http.");
            }
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"AuditExport:BatchSize must be between 1 and 10000; {options.BatchSize} was given.");
        }

        if (options.Interval < TimeSpan.FromSeconds(1) || options.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add("AuditExport:Interval must be at least 00:00:01 and AuditExport:AttemptTimeout longer than zero.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
