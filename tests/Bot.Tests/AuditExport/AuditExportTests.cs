using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Npgsql;
using PscaleBot.Bot.AuditExport;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Http;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.AuditExport;

/// <summary>
/// The JSON Lines export on each engine: the cursor lives in the store and survives a restart, file mode appends, a
/// webhook outage is logged once and every row arrives after it (at least once, no gap), and no secret leaves.
/// </summary>
public abstract class AuditExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    protected readonly string Folder = Directory.CreateTempSubdirectory("audit-export-").FullName;
    private readonly FakeLogCollector logs = new();

    /// <summary>A new store instance on this test's database (a second call is the bot after a restart).</summary>
    protected abstract Task<IAuditLog> OpenAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task File_mode_appends_and_the_cursor_in_the_store_survives_a_restart()
    {
        var path = Path.Combine(Folder, "out", "audit.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"kept\":true}\n");
        var options = Settings(AuditExportMode.File, batchSize: 2);

        var before = await OpenAsync();
        await AppendAsync(before, 0, 3);
        var first = await Exporter(before, new JsonLinesFileSink(path), options).ExportPendingAsync(CancellationToken.None);
        Assert.Equal(new AuditExportPass(3, null), first);

        var after = await OpenAsync(); // the bot restarted: a new store instance, a new exporter
        await AppendAsync(after, 3, 2);
        var second = await Exporter(after, new JsonLinesFileSink(path), options).ExportPendingAsync(CancellationToken.None);

        Assert.Equal(new AuditExportPass(2, null), second);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal("{\"kept\":true}", lines[0]);
        Assert.Equal([1L, 2, 3, 4, 5], lines.Skip(1).Select(Id));
        Assert.Equal(5, await ((IAuditExportCursor)after).ReadCursorAsync("file", CancellationToken.None));
        Assert.Equal(0, await ((IAuditExportCursor)after).ReadCursorAsync("webhook", CancellationToken.None));
        // Each line carries the chain, so a receiver can check it: the second row points at the first.
        Assert.Equal(Field(lines[1], "row_hash"), Field(lines[2], "prev_hash"));
    }

    [Fact]
    public async Task A_webhook_outage_is_logged_once_keeps_the_cursor_and_every_row_arrives_after_recovery()
    {
        using var webhook = new RecordingWebhook();
        var log = await OpenAsync();
        await AppendAsync(log, 0, 5);
        var options = Settings(AuditExportMode.Webhook, batchSize: 2, webhook.Url, authorization: "Splunk hec-secret-0123");
        using var http = new HttpClient();
        var exporter = Exporter(log, new WebhookAuditSink(http, options), options);

        webhook.Down = true;
        var failed = await exporter.ExportPendingAsync(CancellationToken.None);
        await AppendAsync(log, 5, 2);
        var failedAgain = await exporter.ExportPendingAsync(CancellationToken.None);

        Assert.Equal(0, failed.Exported);
        Assert.Equal("the webhook answered 503 Service Unavailable", failed.Failure);
        Assert.NotNull(failedAgain.Failure);
        Assert.Equal(0, await ((IAuditExportCursor)log).ReadCursorAsync("webhook", CancellationToken.None));
        Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);

        webhook.Down = false;
        var recovered = await exporter.ExportPendingAsync(CancellationToken.None);

        Assert.Equal(new AuditExportPass(7, null), recovered);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), webhook.Delivered.Select(Id).Distinct().Order());
        Assert.All(webhook.Requests, r => Assert.Equal(("application/x-ndjson", "Splunk hec-secret-0123"), (r.ContentType, r.Authorization)));
        Assert.Equal(7, await ((IAuditExportCursor)log).ReadCursorAsync("webhook", CancellationToken.None));
        Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("works again", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains("hec-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_webhook_is_named_without_its_query_and_nothing_is_skipped()
    {
        var log = await OpenAsync();
        await AppendAsync(log, 0, 1);
        var url = new Uri($"http://127.0.0.1:{FreePort()}/ingest?token=query-secret");
        var options = Settings(AuditExportMode.Webhook, batchSize: 10, url);
        using var http = new HttpClient();

        var pass = await Exporter(log, new WebhookAuditSink(http, options), options).ExportPendingAsync(CancellationToken.None);

        Assert.StartsWith("the webhook cannot be reached (", pass.Failure, StringComparison.Ordinal);
        Assert.Equal(0, await ((IAuditExportCursor)log).ReadCursorAsync("webhook", CancellationToken.None));
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains($"the audit export webhook http://127.0.0.1:{url.Port}/ingest", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("query-secret", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_secret_never_reaches_the_export()
    {
        var path = Path.Combine(Folder, "audit.jsonl");
        var log = await OpenAsync();
        const string secret = "pscale_tkn_0123456789abcdefSECRETVALUE";
        await log.AppendAsync(new AuditEntry(Start, "slack", "slack:channel:C1", "slack:user:U1",
            $"service-token create --name {secret}", "allowed", $"reason {secret}", $"error: {secret}", [secret]), CancellationToken.None);

        await Exporter(log, new JsonLinesFileSink(path), Settings(AuditExportMode.File, 10)).ExportPendingAsync(CancellationToken.None);

        var text = await File.ReadAllTextAsync(path);
        Assert.Contains("pscale_tkn_[REDACTED]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETVALUE", text, StringComparison.Ordinal);
    }

    private AuditExporter Exporter(IAuditLog log, IAuditExportSink sink, IOptions<AuditExportOptions> options)
    {
        var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
        return new AuditExporter((IAuditChainStore)log, (IAuditExportCursor)log, sink, options, new DependencyOutages(loggers, TimeProvider.System));
    }

    private static IOptions<AuditExportOptions> Settings(AuditExportMode mode, int batchSize, Uri? url = null, string? authorization = null) =>
        Options.Create(new AuditExportOptions { Mode = mode.ToString(), BatchSize = batchSize, WebhookUrl = url, WebhookAuthorization = authorization, Path = "unused" });

    private static async Task AppendAsync(IAuditLog log, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await log.AppendAsync(new AuditEntry(Start.AddSeconds(i), "shell", "shell", "shell:user:ci", $"command {i}", "allowed", null, "ok", []), CancellationToken.None);
        }
    }

    private static long Id(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("id").GetInt64();
    }

    private static string? Field(string line, string name)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty(name).GetString();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>A real HTTP endpoint on loopback that answers 503 while <see cref="Down"/>, else 200, and keeps what it got.</summary>
    private sealed class RecordingWebhook : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Task loop;

        public RecordingWebhook()
        {
            Url = new Uri($"http://127.0.0.1:{FreePort()}/ingest/");
            listener.Prefixes.Add(Url.ToString());
            listener.Start();
            loop = Task.Run(ServeAsync);
        }

        public Uri Url { get; }

        public volatile bool Down;

        public List<(string? ContentType, string? Authorization)> Requests { get; } = [];

        public List<string> Delivered { get; } = [];

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
        }

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                lock (Requests)
                {
                    Requests.Add((context.Request.ContentType, context.Request.Headers["Authorization"]));
                    if (!Down)
                    {
                        Delivered.AddRange(body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                    }
                }

                context.Response.StatusCode = Down ? 503 : 200;
                context.Response.Close();
            }
        }
    }
}

public sealed class SqliteAuditExportTests : AuditExportTests
{
    private readonly List<SqliteAuditLog> opened = [];

    public override Task DisposeAsync()
    {
        opened.ForEach(log => log.Dispose());
        return base.DisposeAsync();
    }

    protected override async Task<IAuditLog> OpenAsync()
    {
        var log = new SqliteAuditLog(Path.Combine(Folder, "audit.db"), TimeProvider.System, NullLogger<SqliteAuditLog>.Instance);
        await log.MigrateAsync(CancellationToken.None);
        opened.Add(log);
        return log;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditExportTests(PostgresCluster cluster) : AuditExportTests
{
    private readonly List<NpgsqlDataSource> dataSources = [];
    private string connectionString = "";

    public override async Task InitializeAsync() => connectionString = await cluster.CreateDatabaseAsync("export");

    public override async Task DisposeAsync()
    {
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override async Task<IAuditLog> OpenAsync()
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        dataSources.Add(dataSource);
        var log = new PostgresAuditLog(dataSource, TimeProvider.System);
        await log.MigrateAsync(CancellationToken.None);
        return log;
    }
}
