using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Execution;

public sealed class CommandPipelineTests
{
    private readonly PipelineHarness harness = new();

    [Fact]
    public async Task A_line_that_does_not_parse_is_answered_with_usage_and_audited_without_calls()
    {
        var (prepared, response) = await harness.RunAsync("service-token frobnicate");

        Assert.False(prepared.NeedsExecution);
        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Usage, error.Category);
        Assert.Contains("frobnicate", error.Message);
        Assert.Equal("pscale service-token frobnicate [flags]", error.Usage);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.Empty(harness.PlanetScale.Calls);
        var audit = await harness.LastAuditAsync();
        Assert.Equal("unparsed", audit.Decision);
        Assert.Equal("service-token frobnicate", audit.Command);
    }

    [Fact]
    public async Task A_pasted_secret_warns_privately_the_command_still_runs_and_the_audit_never_sees_it()
    {
        var (_, response) = await harness.RunAsync("service-token list --name pscale_tkn_abcdefSECRET123 --public");

        Assert.Equal(CommandPipeline.SecretWarningText, response.SecretWarning);
        Assert.Contains("service-token delete <id>", response.SecretWarning);
        Assert.Contains(nameof(IPlanetScaleService.ListTokensAsync), harness.PlanetScale.Calls);
        var audit = await harness.LastAuditAsync();
        Assert.DoesNotContain("abcdefSECRET123", audit.Command);
        Assert.Contains("pscale_tkn_[REDACTED]", audit.Command);
    }

    [Fact]
    public async Task A_secret_in_a_line_that_does_not_parse_still_warns()
    {
        var (_, response) = await harness.RunAsync("pscale_tkn_abcdefSECRET123");

        Assert.True(response.IsError);
        Assert.NotNull(response.SecretWarning);
        Assert.DoesNotContain("abcdefSECRET123", (await harness.LastAuditAsync()).Command);
    }

    [Fact]
    public async Task A_denied_command_names_the_reason_and_the_alternative_and_calls_nothing()
    {
        var (prepared, response) = await harness.RunAsync("service-token delete abc123def456", PipelineHarness.Bob);

        Assert.IsType<PolicyDecision.Denied>(prepared.Decision);
        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Denied, error.Category);
        Assert.Contains("`delete` is not allowed here", error.Message);
        Assert.Equal("You may run: list, show, show-access.", error.Hint);
        Assert.Empty(harness.PlanetScale.Calls);
        var audit = await harness.LastAuditAsync();
        Assert.Equal(("denied", "`delete` is not allowed here", "denied"), (audit.Decision, audit.Reason, audit.Outcome));
    }

    [Fact]
    public async Task Help_lists_only_what_the_caller_may_run_here()
    {
        var (prepared, response) = await harness.RunAsync("help", PipelineHarness.Bob);

        Assert.False(prepared.NeedsExecution);
        var help = Assert.IsType<HelpResult>(Assert.Single(response.Results));
        Assert.Contains("  show-access", help.Text);
        Assert.Contains("  whoami", help.Text);
        Assert.DoesNotContain("  delete", help.Text);
        Assert.DoesNotContain("  add-access", help.Text);
        Assert.Empty(harness.PlanetScale.Calls);
    }

    [Fact]
    public async Task Help_and_whoami_are_answered_even_where_the_caller_has_no_role()
    {
        var stranger = PipelineHarness.Bob with { UserId = "slack:user:USTRANGER" };
        var (_, response) = await harness.RunAsync("whoami", stranger, PipelineHarness.OnCall with { Ids = ["slack:channel:CELSEWHERE"] });

        var whoAmI = Assert.IsType<WhoAmIResult>(Assert.Single(response.Results));
        Assert.Empty(whoAmI.Roles);
        Assert.Equal("acme", whoAmI.Organization);
    }

    [Fact]
    public async Task Whoami_names_the_roles_bound_here()
    {
        var (_, response) = await harness.RunAsync("whoami --org other", PipelineHarness.Alice);

        var whoAmI = Assert.IsType<WhoAmIResult>(Assert.Single(response.Results));
        Assert.Equal(["db-admin"], whoAmI.Roles);
        Assert.Equal("other", whoAmI.Organization);
        Assert.Empty(harness.PlanetScale.Calls);
    }

    [Fact]
    public async Task A_dry_run_shows_the_call_and_changes_nothing()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (prepared, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch connect_branch --database prod --dry-run");

        Assert.False(prepared.NeedsExecution);
        var dryRun = Assert.IsType<DryRunResult>(Assert.Single(response.Results));
        Assert.Equal("POST", dryRun.Method);
        Assert.Equal($"/v1/organizations/acme/service-tokens/{tokenId}/access", dryRun.Path);
        Assert.Equal("""{"database":"prod","access":["read_branch","connect_branch"]}""", dryRun.Body);
        Assert.StartsWith("allowed (roles: db-admin)", dryRun.Decision);
        Assert.Empty(harness.PlanetScale.Calls);
        Assert.Empty(harness.PlanetScale.Held("acme", tokenId, "prod"));
        Assert.Equal("dry-run", (await harness.LastAuditAsync()).Outcome);
    }

    [Theory]
    [InlineData("service-token create --name ci --ttl 3600", "POST", "/v1/organizations/acme/service-tokens", """{"name":"ci","ttl":3600}""")]
    [InlineData("service-token create", "POST", "/v1/organizations/acme/service-tokens", "{}")]
    [InlineData("service-token delete abc123def456 --org other", "DELETE", "/v1/organizations/other/service-tokens/abc123def456", null)]
    [InlineData("service-token delete-access abc123def456 create_databases", "DELETE", "/v1/organizations/acme/service-tokens/abc123def456/access", """{"database":"","access":["create_databases"]}""")]
    public async Task Dry_runs_send_the_bodies_the_Go_SDK_sends(string text, string method, string path, string? body)
    {
        var (_, response) = await harness.RunAsync(text + " --dry-run");

        var dryRun = Assert.IsType<DryRunResult>(Assert.Single(response.Results));
        Assert.Equal((method, path, body), (dryRun.Method, dryRun.Path, dryRun.Body));
        Assert.Empty(harness.PlanetScale.Calls);
    }

    [Fact]
    public async Task Create_answers_privately_with_the_secret_and_announces_without_it()
    {
        var (prepared, response) = await harness.RunAsync("service-token create --name ci-deploy --public");

        Assert.True(prepared.NeedsExecution);
        var table = Assert.IsType<TokenTable>(response.Results[0]);
        Assert.Equal(TokenTableKind.Created, table.Kind);
        var secret = table.Tokens.Single().Secret!.Reveal();
        Assert.StartsWith("pscale_tkn_", secret);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.True(response.ContainsSecret);
        Assert.Equal($"Alice created service token {table.Tokens[0].Id} (ci-deploy) in acme.", response.Announcement);
        Assert.DoesNotContain(secret, response.Announcement);
        var audit = await harness.LastAuditAsync();
        Assert.Equal(("allowed", "ok"), (audit.Decision, audit.Outcome));
        Assert.DoesNotContain(secret, string.Join(" ", audit.Command, audit.Reason, audit.Outcome));
        Assert.True(harness.PlanetScale.HasToken("acme", table.Tokens[0].Id));
    }

    [Fact]
    public async Task An_empty_list_gets_the_CLI_sentence()
    {
        var (_, response) = await harness.RunAsync("service-token list");

        var message = Assert.IsType<MessageResult>(Assert.Single(response.Results));
        Assert.Equal("No service tokens have been created yet.", message.Text);
    }

    [Fact]
    public async Task Reads_are_private_unless_public_is_asked_for()
    {
        harness.PlanetScale.SeedToken("acme", "one", harness.Time.GetUtcNow().AddDays(-3));

        var (_, quiet) = await harness.RunAsync("service-token list");
        var (_, loud) = await harness.RunAsync("service-token list --public");

        Assert.Equal(ResponseVisibility.Private, quiet.Visibility);
        Assert.Equal(ResponseVisibility.Public, loud.Visibility);
        var table = Assert.IsType<TokenTable>(Assert.Single(loud.Results));
        Assert.Equal((TokenTableKind.List, "one"), (table.Kind, table.Tokens.Single().Name));
        Assert.Null(loud.Announcement);
    }

    [Fact]
    public async Task The_org_flag_overrides_the_default_organization()
    {
        harness.PlanetScale.SeedToken("other", "theirs", harness.Time.GetUtcNow());

        var (_, response) = await harness.RunAsync("service-token list --org other");

        var table = Assert.IsType<TokenTable>(Assert.Single(response.Results));
        Assert.Equal("other", table.Organization);
        Assert.Equal("theirs", table.Tokens.Single().Name);
    }

    [Fact]
    public async Task Add_access_marks_exactly_what_is_new_and_announces_it()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "prod", "read_branch");
        harness.PlanetScale.Grant("acme", tokenId, "staging", "connect_branch");

        var (_, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch create_branch --database prod");

        var table = Assert.IsType<PermissionTable>(Assert.Single(response.Results.OfType<PermissionTable>()));
        Assert.Equal(["prod", "staging"], table.Rows.Select(r => r.ResourceName));
        Assert.Equal(
            [new PermissionEntry("read_branch"), new PermissionEntry("create_branch", PermissionChange.Added)],
            table.Rows[0].Permissions);
        Assert.Equal([new PermissionEntry("connect_branch")], table.Rows[1].Permissions);
        Assert.Equal($"Alice added create_branch on database prod to token {tokenId}.", response.Announcement);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.Equal(["read_branch", "create_branch"], harness.PlanetScale.Held("acme", tokenId, "prod"));
        var audit = await harness.LastAuditAsync();
        Assert.Equal(2, audit.RequestIds.Count);
    }

    [Fact]
    public async Task Add_access_of_what_is_already_held_changes_nothing_and_announces_nothing()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "prod", "read_branch");

        var (_, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch --database prod");

        Assert.Null(response.Announcement);
        Assert.Contains(response.Results, r => r is MessageResult m && m.Text.Contains("already had read_branch"));
        Assert.All(response.Results.OfType<PermissionTable>().Single().Rows.SelectMany(r => r.Permissions), p => Assert.Equal(PermissionChange.Unchanged, p.Change));
    }

    [Fact]
    public async Task Organization_level_access_lands_on_the_organization_row_after_the_databases()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "staging", "read_branch");
        harness.PlanetScale.Grant("acme", tokenId, "analytics", "read_branch");

        var (_, response) = await harness.RunAsync($"service-token add-access {tokenId} read_databases --format json");

        var table = Assert.IsType<PermissionTable>(Assert.Single(response.Results));
        Assert.Equal(["analytics", "staging", "acme"], table.Rows.Select(r => r.ResourceName));
        Assert.Equal(ResourceKind.Organization, table.Rows[2].ResourceKind);
        Assert.Equal(new PermissionEntry("read_databases", PermissionChange.Added), table.Rows[2].Permissions.Single());
        Assert.Equal($"Alice added read_databases on organization acme to token {tokenId}.", response.Announcement);
    }

    [Fact]
    public async Task A_mistyped_database_gets_the_closest_name_suggested()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (_, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch --database prdo");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Api, error.Category);
        Assert.Equal("Database prdo does not exist in organization acme.", error.Message);
        Assert.Equal("Did you mean `prod`?", error.Hint);
        Assert.Null(response.Announcement);
        Assert.StartsWith("error: api NotFound (404)", (await harness.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task A_failing_database_list_still_gives_a_clear_not_found()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.FailNext(nameof(IPlanetScaleService.AddAccessAsync), new PlanetScaleApiException(PlanetScaleErrorKind.NotFound, "Not Found", 404));
        harness.PlanetScale.FailNext(nameof(IPlanetScaleService.ListDatabasesAsync), new PlanetScaleApiException(PlanetScaleErrorKind.ServerError, "Internal error", 500));

        var (_, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch --database prod");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Contains("database prod", error.Message);
        Assert.DoesNotContain("Did you mean", error.Hint);
    }

    [Fact]
    public async Task An_unknown_token_points_at_service_token_list()
    {
        var (_, response) = await harness.RunAsync("service-token show-access nosuchtoken1");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal("Token nosuchtoken1 does not exist in organization acme.", error.Message);
        Assert.Contains("`service-token list`", error.Hint);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
    }

    [Fact]
    public async Task Delete_access_shows_the_removed_permissions_on_their_row()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "prod", "read_branch", "create_branch", "connect_branch");

        var (_, response) = await harness.RunAsync($"service-token delete-access {tokenId} create_branch connect_branch --database prod");

        Assert.Equal("create_branch, connect_branch have been removed.", Assert.IsType<MessageResult>(response.Results[0]).Text);
        var table = Assert.IsType<PermissionTable>(response.Results[1]);
        Assert.Equal(
            [
                new PermissionEntry("read_branch"),
                new PermissionEntry("create_branch", PermissionChange.Removed),
                new PermissionEntry("connect_branch", PermissionChange.Removed),
            ],
            table.Rows.Single().Permissions);
        Assert.Equal($"Alice removed create_branch, connect_branch on database prod from token {tokenId}.", response.Announcement);
        Assert.Equal(["read_branch"], harness.PlanetScale.Held("acme", tokenId, "prod"));
    }

    [Fact]
    public async Task Delete_access_of_what_is_not_held_sends_no_delete_and_announces_nothing()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "prod", "read_branch");

        var (_, response) = await harness.RunAsync($"service-token delete-access {tokenId} create_branch --database prod");

        Assert.Equal($"Token {tokenId} does not have create_branch on database prod; nothing changed.", Assert.IsType<MessageResult>(response.Results[0]).Text);
        Assert.Null(response.Announcement);
        Assert.DoesNotContain(nameof(IPlanetScaleService.DeleteAccessAsync), harness.PlanetScale.Calls);
        Assert.Equal("ok: nothing to remove", (await harness.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task Delete_access_on_a_mistyped_database_suggests_the_name()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (_, response) = await harness.RunAsync($"service-token delete-access {tokenId} read_branch --database stagin");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(("Database stagin does not exist in organization acme.", "Did you mean `staging`?"), (error.Message, error.Hint));
    }

    [Fact]
    public async Task Delete_access_in_json_is_a_single_document()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "prod", "read_branch");

        var (_, response) = await harness.RunAsync($"service-token delete-access {tokenId} read_branch --database prod --format json");

        var table = Assert.IsType<PermissionTable>(Assert.Single(response.Results));
        Assert.Equal(new PermissionEntry("read_branch", PermissionChange.Removed), table.Rows.Single().Permissions.Single());
    }

    [Fact]
    public async Task Delete_removes_the_token_and_announces_it()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (_, response) = await harness.RunAsync($"service-token delete {tokenId}");

        var message = Assert.IsType<MessageResult>(Assert.Single(response.Results));
        Assert.Equal(("Token was successfully deleted.", MessageTone.Success), (message.Text, message.Tone));
        Assert.Equal($"Alice deleted service token {tokenId} in acme.", response.Announcement);
        Assert.False(harness.PlanetScale.HasToken("acme", tokenId));
    }

    [Fact]
    public async Task Show_access_sorts_databases_by_name_then_the_organization()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, null, "read_organization");
        harness.PlanetScale.Grant("acme", tokenId, "staging", "read_branch");
        harness.PlanetScale.Grant("acme", tokenId, "analytics", "read_branch", "connect_branch");

        var (_, response) = await harness.RunAsync($"service-token show-access {tokenId}");

        var table = Assert.IsType<PermissionTable>(Assert.Single(response.Results));
        Assert.Equal(["analytics", "staging", "acme"], table.Rows.Select(r => r.ResourceName));
        Assert.Equal(["read_branch", "connect_branch"], table.Rows[0].Permissions.Select(p => p.Name));
    }

    [Fact]
    public async Task A_grant_that_needs_approval_explains_who_approves_and_changes_nothing()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (prepared, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch --database prod", PipelineHarness.Bob, PipelineHarness.OnCall);

        Assert.IsType<PolicyDecision.NeedsApproval>(prepared.Decision);
        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(
            "Granting read_branch on database prod needs approval under role oncall: 2 approvals from different people, from role:db-admin, slack:user:UCAROL.",
            error.Message);
        Assert.Contains("nothing was requested or changed", error.Hint);
        Assert.Empty(harness.PlanetScale.Calls);
        Assert.Equal("needs-approval", (await harness.LastAuditAsync()).Decision);
    }

    [Fact]
    public async Task A_replacement_access_request_handler_receives_approval_gated_commands()
    {
        var gateway = new RecordingAccessRequestHandler();
        var withGateway = new PipelineHarness(handlers: gateway.Register);
        var tokenId = withGateway.PlanetScale.SeedToken("acme", "ci", withGateway.Time.GetUtcNow());

        var (_, response) = await withGateway.RunAsync($"service-token add-access {tokenId} read_branch --database prod", PipelineHarness.Bob, PipelineHarness.OnCall);

        Assert.Equal(PipelineHarness.TwoPersonRule, Assert.Single(gateway.Requests));
        Assert.Equal("Bob asked for read_branch.", response.Announcement);
        Assert.Equal("ok", (await withGateway.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task A_time_bound_grant_is_never_run_as_a_plain_permanent_grant()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (_, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch --database prod --for 2h");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Contains("--for", error.Message);
        Assert.StartsWith("Nothing was changed.", error.Hint);
        Assert.Empty(harness.PlanetScale.Held("acme", tokenId, "prod"));
        Assert.DoesNotContain(nameof(IPlanetScaleService.AddAccessAsync), harness.PlanetScale.Calls);
        Assert.StartsWith("error: usage (", (await harness.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task A_replacement_access_request_handler_runs_time_bound_grants()
    {
        var gateway = new RecordingAccessRequestHandler();
        var withGateway = new PipelineHarness(handlers: gateway.Register);

        var (_, response) = await withGateway.RunAsync("service-token add-access abc123def456 read_branch --database prod --for 2h");

        var handled = Assert.IsType<AddAccessCommand>(Assert.Single(gateway.Handled));
        Assert.Equal(TimeSpan.FromHours(2), handled.Duration);
        Assert.Equal("granted", response.Announcement);
        Assert.Empty(withGateway.PlanetScale.Calls);
    }

    [Fact]
    public async Task Access_commands_are_explained_until_the_workflow_is_registered()
    {
        var (_, response) = await harness.RunAsync("access list");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal("Access requests are not enabled on this bot, so nothing was requested or changed.", error.Message);
    }

    [Fact]
    public async Task An_unexpected_failure_hides_internals_and_logs_them_redacted()
    {
        harness.PlanetScale.FailNext(nameof(IPlanetScaleService.ListTokensAsync), new InvalidOperationException("socket closed while sending pscale_tkn_LEAKED999"));

        var (_, response) = await harness.RunAsync("service-token list");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Internal, error.Category);
        Assert.Equal("Something went wrong on the bot's side.", error.Message);
        Assert.StartsWith("Nothing was changed.", error.Hint);
        Assert.DoesNotContain("socket", error.Message + error.Hint);
        var log = harness.HandlerLogger.Collector.LatestRecord;
        Assert.Contains("System.InvalidOperationException", log.Message);
        Assert.Contains("socket closed", log.Message);
        Assert.DoesNotContain("LEAKED999", log.Message);
    }

    [Fact]
    public async Task An_unexpected_failure_after_the_change_was_sent_does_not_claim_nothing_changed()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());
        harness.PlanetScale.FailNext(nameof(IPlanetScaleService.DeleteTokenAsync), new IOException("connection reset"));

        var (_, response) = await harness.RunAsync($"service-token delete {tokenId}");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Contains("may or may not have been made", error.Hint);
        Assert.Null(response.Announcement);
    }

    [Fact]
    public async Task A_broken_audit_store_never_breaks_the_answer()
    {
        var broken = new PipelineHarness(audit: new BrokenAuditLog());

        var (_, response) = await broken.RunAsync("service-token list");

        Assert.Equal("No service tokens have been created yet.", Assert.IsType<MessageResult>(Assert.Single(response.Results)).Text);
        Assert.Contains("was not written", broken.AuditLogger.Collector.LatestRecord.Message);
    }

    [Fact]
    public async Task The_audit_command_shows_the_newest_entries_first()
    {
        await harness.RunAsync("service-token list");
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.RunAsync("whoami");

        var (_, response) = await harness.RunAsync("audit --limit 2");

        var table = Assert.IsType<AuditTable>(Assert.Single(response.Results));
        Assert.Equal(["whoami", "service-token list"], table.Entries.Select(e => e.Command));
        Assert.Equal("slack:channel:CADMINS", table.Entries[0].Place);
        Assert.Equal("slack", table.Entries[0].Platform);
    }

    [Fact]
    public async Task Cancellation_propagates_and_is_audited()
    {
        using var cancelled = new CancellationTokenSource();
        var prepared = await harness.Pipeline.PrepareAsync("service-token list".ToRequest(), CancellationToken.None);
        await cancelled.CancelAsync();

        // Typed: the background runner that cut it off must know the row exists, so it writes no second one.
        await Assert.ThrowsAsync<CommandCancelledException>(() => harness.Pipeline.ExecuteAsync(prepared, cancelled.Token));

        Assert.Equal("cancelled", (await harness.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task Debug_adds_the_request_ids_in_human_format()
    {
        var (_, response) = await harness.RunAsync("service-token list --debug");

        var debug = Assert.IsType<MessageResult>(response.Results[^1]);
        Assert.StartsWith("Debug: 1 PlanetScale call(s)", debug.Text);
        Assert.Contains("req-1", debug.Text);
    }

    [Fact]
    public async Task Executing_an_answered_command_returns_the_answer_without_auditing_twice()
    {
        var prepared = await harness.Pipeline.PrepareAsync("whoami".ToRequest(), CancellationToken.None);

        var response = await harness.Pipeline.ExecuteAsync(prepared, CancellationToken.None);

        Assert.Same(prepared.ImmediateResponse, response);
        Assert.Single(await harness.Audit.RecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Run_answers_at_once_what_needs_no_execution_and_executes_the_rest()
    {
        var answered = await ((ICommandPipeline)harness.Pipeline).RunAsync("whoami".ToRequest(), CancellationToken.None);
        Assert.IsType<WhoAmIResult>(Assert.Single(answered.Results));
        Assert.Empty(harness.PlanetScale.Calls);

        var listed = await ((ICommandPipeline)harness.Pipeline).RunAsync("service-token list".ToRequest(), CancellationToken.None);

        Assert.False(listed.IsError);
        Assert.Contains(nameof(IPlanetScaleService.ListTokensAsync), harness.PlanetScale.Calls);
        Assert.Equal(2, (await harness.Audit.RecentAsync(10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task The_interface_run_executes_only_what_was_not_answered_at_preparation()
    {
        var immediate = new CommandResponse([new MessageResult("answered")], OutputFormat.Human, ResponseVisibility.Private);
        ICommandPipeline answering = new TwoHalves(immediate);
        ICommandPipeline executing = new TwoHalves(null);

        Assert.Same(immediate, await answering.RunAsync("whoami".ToRequest(), CancellationToken.None));
        Assert.Equal("executed", Assert.IsType<MessageResult>(Assert.Single((await executing.RunAsync("service-token list".ToRequest(), CancellationToken.None)).Results)).Text);
        Assert.Equal(0, ((TwoHalves)answering).Executions);
        Assert.Equal(1, ((TwoHalves)executing).Executions);
    }

    // Implements only the two halves, as adapters' fakes do: RunAsync comes from the interface.
    private sealed class TwoHalves(CommandResponse? immediate) : ICommandPipeline
    {
        public int Executions { get; private set; }

        public Task<PreparedCommand> PrepareAsync(Model.ChatRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new PreparedCommand(request, new ParseOutcome(null, null, request.Text, false), "acme", null, immediate));

        public Task<CommandResponse> ExecuteAsync(PreparedCommand prepared, CancellationToken cancellationToken)
        {
            Executions++;
            return Task.FromResult(new CommandResponse([new MessageResult("executed")], OutputFormat.Human, ResponseVisibility.Private));
        }
    }

    private sealed class BrokenAuditLog : IAuditLog
    {
        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) => throw new IOException("disk full");
    }

    // Registered as the access workflow registers its own: a replacement for the CommandRoutes.AccessRequest handler.
    private sealed class RecordingAccessRequestHandler : ICommandHandler<BotCommand>
    {
        public List<ApprovalRequirement> Requests { get; } = [];

        public List<BotCommand> Handled { get; } = [];

        public void Register(IServiceCollection services)
        {
            services.AddSingleton(this);
            services.ReplaceCommandHandler<BotCommand, RecordingAccessRequestHandler>(ServiceLifetime.Singleton, CommandRoutes.AccessRequest);
        }

        public Task<ExecutionOutcome> HandleAsync(BotCommand command, CommandContext context, CancellationToken cancellationToken)
        {
            if (context.Decision is PolicyDecision.NeedsApproval needs)
            {
                Requests.Add(needs.Requirement);
                var add = (AddAccessCommand)command;
                return Task.FromResult(ExecutionOutcome.Answer(
                    new MessageResult("Request opened."),
                    $"{context.Request.Caller.DisplayName} asked for {string.Join(", ", add.Permissions)}.",
                    ResponseVisibility.Private));
            }

            Handled.Add(command);
            return Task.FromResult(ExecutionOutcome.Answer(new MessageResult("Granted for 2 hours."), "granted", ResponseVisibility.Private));
        }
    }
}

internal static class RequestText
{
    public static Model.ChatRequest ToRequest(this string text) => new(PipelineHarness.Alice, PipelineHarness.Admins, text);
}
