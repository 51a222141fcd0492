using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Hosting.Rehearsal;

namespace PscaleBot.EndToEnd.Tests.Telemetry;

/// <summary>
/// The start-up rehearsal is not telemetry: its in-memory PlanetScale calls are not PlanetScale calls, and its commands
/// were typed by nobody, so no span, metric point or log line an exporter receives comes from it.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class RehearsalTelemetryTests
{
    [Fact]
    public async Task The_rehearsal_exports_no_span_no_metric_point_and_no_log()
    {
        await using var session = await TelemetrySession.StartAsync();
        var rehearsal = session.Bot.Services.GetRequiredService<CommandRehearsal>();

        await rehearsal.WarmAsync(CancellationToken.None); // once more, now that the exporters surely listen
        session.Flush();

        Assert.Equal(5, rehearsal.Answers.Count);
        var texts = session.Exported.Texts();
        // The signals are exported (the start-up check's PlanetScale call is), so the checks below read something.
        Assert.Contains(texts, t => t.Where == "metric pscalebot.planetscale.calls");
        Assert.DoesNotContain(session.Exported.Spans.Snapshot(), s => s.DisplayName == "pscalebot.execute");
        Assert.DoesNotContain(texts, t => t.Where.StartsWith("metric pscalebot.planetscale", StringComparison.Ordinal) && t.Text.Contains("service-tokens", StringComparison.Ordinal));
        var rehearsed = texts.Where(t => t.Text.Contains("rehearsal", StringComparison.OrdinalIgnoreCase)).Select(t => t.Where).Distinct().ToList();
        Assert.True(rehearsed.Count == 0, $"the rehearsal was exported in: {string.Join(", ", rehearsed)}");
    }
}
