using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Sandbox;
using PscaleBot.Sandbox.OnCall;

namespace PscaleBot.Commands.Tests.Access.OnCall;

/// <summary>The PagerDuty and Opsgenie roster over real HTTP against the sandbox's simulated services.</summary>
public sealed class ServiceOnCallRosterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChatIdentity Alice = new(ChatPlatform.Slack, "slack:user:UALICE", [], "Alice");
    private static readonly ChatIdentity Bob = new(ChatPlatform.Slack, "slack:user:UBOB", [], "Bob");
    private static readonly ChatIdentity Carol = new(ChatPlatform.Slack, "slack:user:UCAROL", [], "Carol");
    private static readonly ChatIdentity Nomail = new(ChatPlatform.Slack, "slack:user:UNOMAIL", [], "Nomail");
    private readonly string directory = Directory.CreateTempSubdirectory("pscale-oncall-").FullName;
    private readonly FakeTimeProvider time = new(Noon);
    private SandboxServer sandbox = null!;
    private ServiceProvider? provider;

    private string PolicyPath => Path.Combine(directory, "policy.yaml");

    public async Task InitializeAsync()
    {
        sandbox = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
        sandbox.OnCall.SetPagerDuty([
            new PagerDutyShift("alice@example.com", "PSCHED1", "PEP1", 1, Noon.AddHours(-2), Noon.AddHours(6)),
            new PagerDutyShift("bob@example.com", "PSCHED1", "PEP1", 2, Noon.AddHours(-2), Noon.AddHours(6)),
        ]);
        sandbox.OnCall.SetOpsgenie("ops-primary", ["bob@example.com"]);
    }

    public async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }

        await sandbox.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task The_requester_on_call_in_PagerDuty_has_a_shift_matched_by_email_in_any_case()
    {
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]");

        var shift = await roster.FindShiftAsync(Alice, Noon, default);

        Assert.NotNull(shift);
        Assert.Contains("pagerduty:schedule:PSCHED1", shift.Who, StringComparison.Ordinal);
        Assert.Equal(Noon.AddHours(6), shift.Until);
    }

    [Fact]
    public async Task Someone_not_on_call_has_no_shift()
    {
        sandbox.OnCall.SetPagerDuty([]);
        Assert.Null(await Roster("pagerduty:\n    schedule_ids: [PSCHED1]").FindShiftAsync(Alice, Noon, default));
    }

    [Fact]
    public async Task Escalation_levels_limit_who_counts_as_on_call()
    {
        var roster = Roster("pagerduty:\n    escalation_policy_ids: [PEP1]\n    escalation_levels: [1]");

        Assert.NotNull(await roster.FindShiftAsync(Alice, Noon, default));
        Assert.Null(await roster.FindShiftAsync(Bob, Noon, default));
    }

    [Fact]
    public async Task A_shift_that_is_over_does_not_count()
    {
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]");
        Assert.Null(await roster.FindShiftAsync(Alice, Noon.AddHours(7), default));
    }

    [Fact]
    public async Task Opsgenie_recipients_are_matched_by_email()
    {
        var roster = Roster("opsgenie:\n    schedule_ids: [ops-primary]");

        Assert.Contains("opsgenie:schedule:ops-primary", (await roster.FindShiftAsync(Bob, Noon, default))!.Who, StringComparison.Ordinal);
        Assert.Null(await roster.FindShiftAsync(Alice, Noon, default));
    }

    [Fact]
    public async Task Two_requests_within_the_cache_lifetime_make_one_call_and_a_later_one_asks_again()
    {
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]");

        await Task.WhenAll(roster.FindShiftAsync(Alice, Noon, default), roster.FindShiftAsync(Bob, Noon, default));
        await roster.FindShiftAsync(Alice, Noon, default);
        Assert.Equal(1, sandbox.OnCall.PagerDutyCalls);

        time.Advance(TimeSpan.FromSeconds(61));
        await roster.FindShiftAsync(Alice, time.GetUtcNow(), default);
        Assert.Equal(2, sandbox.OnCall.PagerDutyCalls);
    }

    [Fact]
    public async Task A_server_error_is_explained_and_not_cached()
    {
        sandbox.OnCall.Fault = OnCallFault.ServerError;
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]");

        var failure = await Assert.ThrowsAsync<OnCallRosterUnavailableException>(() => roster.FindShiftAsync(Alice, Noon, default));
        Assert.Equal("PagerDuty answered 500 InternalServerError, so on-call auto-approval was skipped.", failure.Message);

        sandbox.OnCall.Fault = OnCallFault.None;
        Assert.NotNull(await roster.FindShiftAsync(Alice, Noon, default));
    }

    [Fact]
    public async Task A_refused_key_is_explained_without_the_key()
    {
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]", pagerDutyKey: "wrong-secret-key");

        var failure = await Assert.ThrowsAsync<OnCallRosterUnavailableException>(() => roster.FindShiftAsync(Alice, Noon, default));

        Assert.StartsWith("PagerDuty refused the bot's API key (401)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-key", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_cannot_be_reached_is_explained()
    {
        var roster = Roster("opsgenie:\n    schedule_ids: [ops-primary]", opsgenieUrl: ClosedPortUrl());

        var failure = await Assert.ThrowsAsync<OnCallRosterUnavailableException>(() => roster.FindShiftAsync(Bob, Noon, default));

        Assert.Equal("Opsgenie could not be reached, so on-call auto-approval was skipped.", failure.Message);
    }

    [Fact]
    public async Task A_slow_service_is_given_up_on_when_the_timeout_passes_on_the_bots_clock()
    {
        sandbox.OnCall.Fault = OnCallFault.Slow;
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]", timeout: TimeSpan.FromSeconds(2));

        var lookup = roster.FindShiftAsync(Alice, Noon, default);
        await Eventually.TrueAsync(() => sandbox.OnCall.PagerDutyCalls == 1, "the call to reach the slow PagerDuty");
        Assert.False(lookup.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var failure = await Assert.ThrowsAsync<OnCallRosterUnavailableException>(() => lookup);
        Assert.Equal("PagerDuty did not answer within 2 s, so on-call auto-approval was skipped.", failure.Message);
    }

    [Fact]
    public async Task Any_of_the_requesters_addresses_matches_as_a_Teams_user_principal_name_or_mail_would()
    {
        sandbox.OnCall.SetPagerDuty([new PagerDutyShift("carol@example.com", "PSCHED1", "PEP1", 1, Noon.AddHours(-1), Noon.AddHours(1))]);
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]");

        var shift = await roster.FindShiftAsync(Carol, Noon, default);

        Assert.NotNull(shift);
        Assert.Contains("carol@example.com", shift.Who, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Found_on_call_in_one_service_wins_over_another_that_is_down()
    {
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]\n  opsgenie:\n    schedule_ids: [ops-primary]", opsgenieUrl: ClosedPortUrl());
        Assert.NotNull(await roster.FindShiftAsync(Alice, Noon, default));
    }

    [Fact]
    public async Task A_requester_without_an_email_cannot_be_matched_and_approvers_are_told()
    {
        var roster = Roster("pagerduty:\n    schedule_ids: [PSCHED1]");

        var failure = await Assert.ThrowsAsync<OnCallRosterUnavailableException>(() => roster.FindShiftAsync(Nomail, Noon, default));

        Assert.Contains("does not know the requester's email address on Slack", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.OnCall.PagerDutyCalls);
    }

    [Fact]
    public void The_options_validator_names_a_missing_key_the_policy_needs()
    {
        WritePolicy("pagerduty:\n    schedule_ids: [PSCHED1]");
        var result = new OnCallOptionsValidator(Store()).Validate(null, new OnCallOptions());

        Assert.True(result.Failed);
        Assert.Contains("OnCall:PagerDuty:ApiKey is not set, but the policy file's 'oncall: pagerduty:' section needs it.", result.Failures!);
        Assert.DoesNotContain(result.Failures!, f => f.Contains("Opsgenie", StringComparison.Ordinal));
    }

    private IOnCallRoster Roster(string onCall, string? pagerDutyKey = null, Uri? opsgenieUrl = null, TimeSpan? timeout = null)
    {
        WritePolicy(onCall);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OnCall:PagerDuty:BaseUrl"] = sandbox.PagerDutyBaseAddress.ToString(),
            ["OnCall:PagerDuty:ApiKey"] = pagerDutyKey ?? OnCallRota.PagerDutyApiKey,
            ["OnCall:Opsgenie:BaseUrl"] = (opsgenieUrl ?? sandbox.OpsgenieBaseAddress).ToString(),
            ["OnCall:Opsgenie:ApiKey"] = OnCallRota.OpsgenieApiKey,
            // Generous unless the test is about the timeout: the shared test machine is slow; the default 2 s is for production.
            ["OnCall:Timeout"] = (timeout ?? TimeSpan.FromSeconds(20)).ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IChatEmailDirectory>(new EmailBook());
        services.AddOnCallServices(configuration);
        provider = services.BuildServiceProvider();
        return ActivatorUtilities.CreateInstance<ServiceOnCallRoster>(provider, Store());
    }

    private PolicyStore Store() => OnCallPolicyFile.Store(PolicyPath);

    private void WritePolicy(string onCall) => OnCallPolicyFile.Write(PolicyPath, "oncall:\n  " + onCall + "\n");

    private static Uri ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/opsgenie");
    }

    private sealed class EmailBook : IChatEmailDirectory
    {
        public ChatPlatform Platform => ChatPlatform.Slack;

        public Task<IReadOnlyList<string>> FindEmailsAsync(ChatIdentity who, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(who.UserId switch
            {
                "slack:user:UALICE" => ["Alice@Example.com"],
                "slack:user:UBOB" => ["bob@example.com"],
                // A principal name that is not the mailbox, then the mailbox the on-call service knows.
                "slack:user:UCAROL" => ["c.smith@corp.example.onmicrosoft.com", "carol@example.com"],
                _ => [],
            });
    }
}
