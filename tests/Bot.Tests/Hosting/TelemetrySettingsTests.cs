using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using PscaleBot.Bot.Hosting;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Tests.Hosting;

/// <summary>Telemetry settings are validated at start; the access backlog gauges count what is really due.</summary>
public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData("collector.internal:4317")]
    [InlineData("/relative")]
    [InlineData("ftp://collector:21")]
    public void An_OTLP_endpoint_that_is_not_an_absolute_http_URL_stops_the_start_with_one_sentence(string endpoint)
    {
        using var host = Build(["Telemetry:OtlpEndpoint", endpoint]);

        var problem = Assert.Single(StartupProblems.Find(host.Services));

        Assert.Equal(
            "Telemetry:OtlpEndpoint must be an absolute http:// or https:// URL of an OpenTelemetry collector, such as http://otel-collector:4317; leave it empty to export nothing.",
            problem);
        Assert.DoesNotContain(endpoint, problem);
    }

    [Theory]
    [InlineData("http://otel-collector:4317")]
    [InlineData("https://collector.example/otlp")]
    [InlineData("")]
    public void An_absolute_OTLP_endpoint_or_none_is_accepted(string endpoint)
    {
        using var host = Build(["Telemetry:OtlpEndpoint", endpoint]);

        Assert.Empty(StartupProblems.Find(host.Services));
    }

    [Fact]
    public void A_sample_interval_out_of_range_names_the_setting()
    {
        using var host = Build(["Telemetry:SampleInterval", "00:00:00"]);

        Assert.Equal(["Telemetry:SampleInterval must be between 1 second and 1 hour."], StartupProblems.Find(host.Services));
    }

    [Fact]
    public void The_backlog_counts_due_overdue_and_the_oldest_lag_and_ignores_grants_still_running()
    {
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        AccessGrant[] grants =
        [
            Grant("g-running", now.AddMinutes(5)),
            Grant("g-due", now.AddSeconds(-20)),
            Grant("g-overdue", now.AddMinutes(-7)),
            Grant("g-ended", now.AddMinutes(-30)) with { State = AccessGrantState.Expired },
        ];

        var backlog = AccessBacklogSampler.Measure(3, grants, now, TimeSpan.FromMinutes(1));

        Assert.Equal(new AccessBacklog(3, 2, 1, TimeSpan.FromMinutes(7)), backlog);
    }

    [Theory]
    [InlineData("ok", "ok")]
    [InlineData("error: usage", "error")]
    [InlineData("refused: busy", "refused")]
    [InlineData("undelivered: Slack said channel_not_found for U0ALICE", "undelivered")]
    [InlineData("Token pscale_tkn_abc leaked", "other")]
    [InlineData("", "other")]
    public void An_outcome_becomes_a_bounded_label(string outcome, string label) =>
        Assert.Equal(label, BotTelemetry.OutcomeClass(outcome));

    private static AccessGrant Grant(string id, DateTimeOffset endsAt) => new(
        id,
        new AccessTarget("acme", "t1", "prod", ["read_branch"]),
        ["read_branch"],
        new AccessRequester("U0ALICE", "alice", ChatPlatform.Slack, "slack:channel:C0OPS"),
        "INC-1",
        null,
        null,
        [],
        false,
        endsAt.AddHours(-1),
        endsAt);

    private static IHost Build(string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(settings.Chunk(2).Select(p => new KeyValuePair<string, string?>(p[0], p[1])));
        builder.AddTelemetry();
        return builder.Build();
    }
}
