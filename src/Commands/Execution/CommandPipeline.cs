using Microsoft.Extensions.Options;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// The command pipeline: parse → organization → policy → immediate answers (errors, denials, help,
/// whoami, dry runs) or execution against PlanetScale, with one audit entry per command.
/// </summary>
/// <remarks>
/// Visibility: reads answer privately unless <c>--public</c>; successful changes answer the requester
/// privately and set <see cref="CommandResponse.Announcement"/> (who changed what, never a secret) for the
/// place; errors and anything holding a token secret are always private. Results besides the main one
/// (progress-style notes, debug lines) are added only in human format, so JSON and CSV stay one document.
/// </remarks>
public sealed class CommandPipeline(
    ICommandParser parser,
    IAuthorizationPolicy policy,
    IHelpText helpText,
    CommandHandlers handlers,
    CommandAuditRecorder audit,
    IOptions<PlanetScaleOptions> planetScaleOptions,
    TimeProvider time) : ICommandPipeline
{
    /// <summary>The private warning sent when the input held a token secret.</summary>
    public const string SecretWarningText =
        "That message contained a PlanetScale token secret. Treat it as exposed: delete that token (`service-token delete <id>`) and create a new one.";

    /// <inheritdoc />
    public async Task<PreparedCommand> PrepareAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var parse = PipelineSpans.Parse(parser, request.Text);
        var secretWarning = parse.ExposedSecret ? SecretWarningText : null;
        var defaultOrganization = planetScaleOptions.Value.DefaultOrganization;

        if (parse.Command is not { } command)
        {
            var error = parse.Error ?? new ParseError("That command could not be read.", "service-token <command> [flags]");
            var usageError = new ErrorResult(error.Message, "Type `help` to see the commands you may run here.", error.Usage, ErrorCategory.Usage);
            await audit.RecordAsync(request, parse, "unparsed", error.Message, "error: usage", [], cancellationToken);
            return Immediate(request, parse, defaultOrganization, null, Private([usageError], OutputFormat.Human, secretWarning));
        }

        var format = command.Options.Format;
        var organization = string.IsNullOrWhiteSpace(command.Options.Org) ? defaultOrganization : command.Options.Org;
        if (string.IsNullOrWhiteSpace(organization))
        {
            var noOrg = new ErrorResult(
                "No organization given, and the bot has no default organization.",
                "Add --org <ORGANIZATION> to the command.",
                null,
                ErrorCategory.Usage);
            await audit.RecordAsync(request, parse, "unparsed", "no organization", "error: usage", [], cancellationToken);
            return Immediate(request, parse, "", null, Private([noOrg], format, secretWarning));
        }

        var decision = PipelineSpans.Decide(command, () => policy.Authorize(request.Caller, request.Place, command, organization));
        if (SubCommands.AlwaysAllowed.Contains(command.PolicyName) && decision is not PolicyDecision.Allowed)
        {
            // help and whoami reveal only the caller's own rights: answered whatever the policy file says.
            decision = new PolicyDecision.Allowed(policy.RolesFor(request.Caller, request.Place));
        }

        if (decision is PolicyDecision.Denied denied)
        {
            var error = new ErrorResult($"Not allowed: {denied.Reason}", denied.Alternative, null, ErrorCategory.Denied);
            await audit.RecordAsync(request, parse, "denied", denied.Reason, "denied", [], cancellationToken);
            return Immediate(request, parse, organization, decision, Private([error], format, secretWarning));
        }

        // Before the dry run, so --dry-run shows the refusal the real command would get.
        if (BotCredentialGuard.Check(command, planetScaleOptions.Value.ServiceTokenId, policy, request, organization) is { } ownToken)
        {
            await audit.RecordAsync(request, parse, "denied", BotCredentialGuard.AuditReason(command), "denied", [], cancellationToken);
            return Immediate(request, parse, organization, new PolicyDecision.Denied(ownToken.Message, ownToken.Hint), Private([ownToken], format, secretWarning));
        }

        CommandResult? immediate = command switch
        {
            HelpCommand help => helpText.Build(help.Topic, name => IsListedInHelp(request, name)),
            WhoAmICommand => new WhoAmIResult(request.Caller, request.Place, policy.RolesFor(request.Caller, request.Place), organization),
            _ when command.Options.DryRun && ApiCallPlan.For(command, organization, planetScaleOptions.Value.BaseUrl) is { } plan =>
                new DryRunResult(DecisionWording.Describe(decision), plan.Method, plan.Path, plan.Body),
            _ => null,
        };

        if (immediate is not null)
        {
            var outcome = immediate is DryRunResult ? "dry-run" : "ok";
            await audit.RecordAsync(request, parse, DecisionWording.Name(decision), DecisionWording.Reason(decision), outcome, [], cancellationToken);
            var response = new CommandResponse([immediate], format, ReadVisibility(command), SecretWarning: secretWarning);
            return Immediate(request, parse, organization, decision, response);
        }

        return new PreparedCommand(request, parse, organization, decision, null);
    }

    /// <inheritdoc />
    public async Task<CommandResponse> ExecuteAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        if (prepared.ImmediateResponse is { } answered)
        {
            return answered;
        }

        var command = prepared.Command
            ?? throw new InvalidOperationException("A prepared command without a parsed command must carry its immediate response.");
        var secretWarning = prepared.Parse.ExposedSecret ? SecretWarningText : null;
        if (command.IsMutating && prepared.Decision is PolicyDecision.Allowed or PolicyDecision.NeedsApproval
            && await audit.RecordBeforeChangeAsync(prepared.Request, prepared.Parse, DecisionName(prepared), DecisionReason(prepared), cancellationToken) is { } unaudited)
        {
            // Fail closed: a change the audit cannot record is not made. Reads never get here and still answer.
            return new CommandResponse([unaudited], command.Options.Format, ResponseVisibility.Private, SecretWarning: secretWarning);
        }

        var started = time.GetTimestamp();
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.Names.Execute)?.SetTag(BotTelemetry.Names.CommandTag, command.PolicyName);

        using var scope = PlanetScaleCallContext.Begin();
        ExecutionOutcome outcome;
        try
        {
            outcome = prepared.Decision is PolicyDecision.Allowed or PolicyDecision.NeedsApproval
                ? await handlers.RunAsync(command, new CommandContext(prepared.Request, prepared.Organization, prepared.Decision), cancellationToken)
                // Deny by default: a prepared command without an allowing decision is never run.
                : ExecutionOutcome.Fail(new ErrorResult("Not allowed: the command was not authorised.", null, null, ErrorCategory.Denied), "denied");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await audit.RecordAsync(
                prepared.Request, prepared.Parse, DecisionName(prepared), DecisionReason(prepared), "cancelled",
                scope.Context.RequestIds, CancellationToken.None);

            // Typed, so a caller that cancelled (a restart, a timeout) knows this row exists and adds no second one.
            throw new CommandCancelledException(cancellationToken);
        }

        span?.SetTag(BotTelemetry.Names.OutcomeTag, BotTelemetry.OutcomeClass(outcome.Outcome));
        var requestIds = scope.Context.RequestIds;
        await audit.RecordAsync(
            prepared.Request, prepared.Parse, DecisionName(prepared), DecisionReason(prepared), outcome.Outcome, requestIds, cancellationToken);

        var format = command.Options.Format;
        List<CommandResult> results = [.. outcome.Results];
        if (command.Options.Debug && format == OutputFormat.Human)
        {
            var elapsed = time.GetElapsedTime(started);
            var ids = requestIds.Count == 0 ? "none" : string.Join(", ", requestIds);
            results.Add(new MessageResult($"Debug: {requestIds.Count} PlanetScale call(s) in {elapsed.TotalMilliseconds:0} ms; request ids: {ids}."));
        }

        if (scope.Context.OldestCachedAnswer is { } age && format == OutputFormat.Human)
        {
            results.Add(new MessageResult(
                $"As of {Math.Ceiling(age.TotalSeconds):0} s ago: PlanetScale's rate limit is busy with revocations and changes, so this answer comes from the bot's cache."));
        }

        var visibility = outcome.Failed || results.OfType<TokenTable>().Any(t => t.ContainsSecret)
            ? ResponseVisibility.Private
            : outcome.Visibility ?? (command.IsMutating ? ResponseVisibility.Private : ReadVisibility(command));
        return new CommandResponse(results, format, visibility, outcome.Failed ? null : outcome.Announcement, secretWarning);
    }

    private bool IsListedInHelp(ChatRequest request, string policyName) =>
        SubCommands.AlwaysAllowed.Contains(policyName) || policy.AllowsSubCommand(request.Caller, request.Place, policyName);

    private static ResponseVisibility ReadVisibility(BotCommand command) =>
        command.Options.Public && !command.IsMutating ? ResponseVisibility.Public : ResponseVisibility.Private;

    private static string DecisionName(PreparedCommand prepared) =>
        prepared.Decision is { } decision ? DecisionWording.Name(decision) : "none";

    private static string? DecisionReason(PreparedCommand prepared) =>
        prepared.Decision is { } decision ? DecisionWording.Reason(decision) : null;

    private static CommandResponse Private(IReadOnlyList<CommandResult> results, OutputFormat format, string? secretWarning) =>
        new(results, format, ResponseVisibility.Private, SecretWarning: secretWarning);

    private static PreparedCommand Immediate(
        ChatRequest request, ParseOutcome parse, string organization, PolicyDecision? decision, CommandResponse response) =>
        new(request, parse, organization, decision, response);
}
