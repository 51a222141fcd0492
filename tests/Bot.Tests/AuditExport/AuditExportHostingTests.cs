using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PscaleBot.Bot.AuditExport;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Tests.AuditExport;

/// <summary><c>AuditExport:*</c> as the host sees it: one sentence per bad setting at start-up, and the running service.</summary>
public sealed class AuditExportHostingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("audit-export-host-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("Webhook", null, "AuditExport:WebhookUrl is required when AuditExport:Mode is Webhook: an absolute https:// URL that accepts POSTed JSON Lines.")]
    [InlineData("Webhook", "http://siem.example.com/ingest", "AuditExport:WebhookUrl must use https (http is allowed only on loopback); siem.example.com was given with http.")]
    [InlineData("Splunk", null, "AuditExport:Mode must be Off, File or Webhook; 'Splunk' was given.")]
    [InlineData("File", null, "AuditExport:Path is required when AuditExport:Mode is File: the JSON Lines file to append to (for example data/audit.jsonl).")]
    public async Task A_bad_setting_is_one_sentence_naming_it(string mode, string? url, string sentence)
    {
        using var host = Build(new() { ["AuditExport:Mode"] = mode, ["AuditExport:WebhookUrl"] = url });

        Assert.Equal([sentence], await StartupProblems.FindAsync(host.Services));
    }

    [Fact]
    public async Task Off_by_default_and_a_good_webhook_setting_passes()
    {
        using var off = Build([]);
        Assert.Empty(await StartupProblems.FindAsync(off.Services));
        using var webhook = Build(new() { ["AuditExport:Mode"] = "Webhook", ["AuditExport:WebhookUrl"] = "https://siem.example.com/ingest" });
        Assert.Empty(await StartupProblems.FindAsync(webhook.Services));
    }

    [Fact]
    public async Task The_service_exports_rows_written_while_it_runs()
    {
        var path = Path.Combine(folder, "audit.jsonl");
        using var host = Build(new() { ["AuditExport:Mode"] = "File", ["AuditExport:Path"] = path, ["AuditExport:Interval"] = "00:00:01" });
        Assert.Empty(await StartupProblems.FindAsync(host.Services));
        await host.StartAsync();
        try
        {
            await host.Services.GetRequiredService<IAuditLog>().AppendAsync(
                new AuditEntry(DateTimeOffset.UtcNow, "shell", "shell", "shell:user:ci", "whoami", "allowed", null, "ok", []), CancellationToken.None);

            await Eventually.TrueAsync(() => File.Exists(path) && File.ReadAllText(path).Contains("\"command\":\"whoami\"", StringComparison.Ordinal), "the row in the export file");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:Path"] = Path.Combine(folder, "audit.db") });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAudit();
        builder.AddAuditExport();
        return builder.Build();
    }
}
