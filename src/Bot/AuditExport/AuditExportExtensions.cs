using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.AuditExport;

/// <summary>Registers the JSON Lines export of the audit log (<c>AuditExport:*</c>).</summary>
public static class AuditExportExtensions
{
    /// <summary>
    /// Adds the export: options validated at start, the destination chosen by <c>AuditExport:Mode</c>, the cursor in the
    /// audit store, and <see cref="AuditExportService"/>, which does nothing when the mode is Off. Needs the audit store
    /// (<c>AddAudit</c>) registered.
    /// </summary>
    public static IHostApplicationBuilder AddAuditExport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditExportOptions>()
            .Bind(builder.Configuration.GetSection(AuditExportOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuditExportOptions>, AuditExportOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<DependencyOutages>();
        builder.Services.AddHttpClient<WebhookAuditSink>()
            .AddSafeRetries(
                "AuditExport",
                // A batch sent twice is allowed (at least once): every failure may be retried.
                _ => new SafeRetryRule { IsIdempotent = _ => true },
                sp => HttpTimeouts.OfAttempt(sp.GetRequiredService<IOptions<AuditExportOptions>>().Value.AttemptTimeout));
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton<IAuditExportSink>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<AuditExportOptions>>().Value;
            return settings.Kind == AuditExportMode.Webhook
                ? sp.GetRequiredService<WebhookAuditSink>()
                : new JsonLinesFileSink(Path.GetFullPath(settings.Path ?? "data/audit.jsonl", contentRoot));
        });
        builder.Services.AddSingleton(sp => (IAuditExportCursor)sp.GetRequiredService<IAuditChainStore>());
        builder.Services.AddSingleton<AuditExporter>();
        builder.Services.AddHostedService<AuditExportService>();
        return builder;
    }
}
