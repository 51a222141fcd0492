using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Teams.Dialogs;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Tests.Execution.Fakes;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>
/// The Teams request dialog's own part around the core's <see cref="AccessFormPolicy"/>: PlanetScale's lists within
/// the time budget, free text when a list is missing, and the exact request asked about a reason on submit.
/// </summary>
public sealed class TeamsDialogChoicesTests
{
    private const string Organization = "acme";
    private static readonly ChatIdentity Alice = new(ChatPlatform.Teams, "teams:user:alice", [], "Alice");
    private static readonly ChatPlace Ops = new(["teams:channel:19:ops", "teams:team:ops"], IsDirect: false, "ops");

    // The approval rule (with its reason) covers prod only; staging is granted within an hour without one.
    private const string Policy = """
        roles:
          requester:
            commands: [add-access]
            databases: [prod, staging]
            permissions: [read_branch]
            max_duration: 1h
            approval:
              required_for:
                databases: [prod]
              approvers: [teams:user:boss]
              max_duration: 4h
              reason_required: true
              request_channels: { teams: "teams:channel:19:admins" }
        bindings:
          - where: teams:channel:19:ops
            who: teams:user:alice
            roles: [requester]
        """;

    private readonly FakeTimeProvider time = new();
    private readonly InMemoryPlanetScale planetScale;
    private readonly string tokenId;

    public TeamsDialogChoicesTests()
    {
        planetScale = new InMemoryPlanetScale(time);
        planetScale.AddOrganization(Organization, "analytics", "prod", "staging");
        tokenId = planetScale.SeedToken(Organization, "ci", time.GetUtcNow());
    }

    [Fact]
    public async Task When_planetscale_cannot_list_the_databases_the_field_is_free_text_and_the_rest_is_the_policys()
    {
        planetScale.FailNext(nameof(IPlanetScaleService.ListDatabasesAsync), new PlanetScaleApiException(PlanetScaleErrorKind.ServerError, "PlanetScale answered 503."));

        var dialog = await Source(planetScale).ForAsync(Alice, Ops, CancellationToken.None);
        var card = AccessRequestForm.Build(dialog);

        Assert.False(dialog.Offered.DatabasesListed);
        Assert.IsType<InputText>(Input(card, "database"));
        Assert.Equal([tokenId], ((InputChoiceSet)Input(card, "token")).Choices.Select(c => c.Value));
        Assert.Equal(["read_branch"], ((InputChoiceSet)Input(card, "permissions")).Choices.Select(c => c.Value));
        // The approval rule names prod, so it cannot apply to an unnamed database: the role's own 1h is what is offered.
        Assert.Equal("1h", ((InputChoiceSet)Input(card, "duration")).Choices[^1].Value);
    }

    [Fact]
    public async Task A_database_list_slower_than_the_budget_becomes_free_text_and_the_tokens_still_show()
    {
        var slow = HangingDatabaseList.Over(planetScale);

        var opening = Source(slow).ForAsync(Alice, Ops, CancellationToken.None);
        Assert.False(opening.IsCompleted);
        time.Advance(DialogChoiceSource.ListBudget);
        var dialog = await opening.WaitAsync(TimeSpan.FromSeconds(30));

        var card = AccessRequestForm.Build(dialog);
        Assert.IsType<InputText>(Input(card, "database"));
        Assert.IsType<InputChoiceSet>(Input(card, "token"));
    }

    [Fact]
    public async Task A_reason_is_asked_for_the_exact_request_on_submit_though_the_form_marks_it_optional()
    {
        var formPolicy = FormPolicy(planetScale);
        var dialog = await Source(planetScale, formPolicy).ForAsync(Alice, Ops, CancellationToken.None);
        bool ReasonRequired(string database, IReadOnlyList<string> permissions, TimeSpan duration) =>
            formPolicy.ReasonRequired(Alice, Ops, database, permissions, duration);

        Assert.False(dialog.Offered.ReasonRequired);
        var prod = AccessRequestSubmission.ToCommand(Form("prod"), dialog, ReasonRequired, out var errors);
        var staging = AccessRequestSubmission.ToCommand(Form("staging"), dialog, ReasonRequired, out var none);

        Assert.Null(prod);
        Assert.Equal("A reason is required for this access: say why, or link the incident.", errors["reason"]);
        Assert.Equal($"service-token add-access {tokenId} read_branch --database staging --for 1h", staging);
        Assert.Empty(none);
    }

    private DialogData Form(string database) =>
        new() { Token = tokenId, Database = database, Permissions = "read_branch", Duration = "1h", Reason = "" };

    private static CardElement Input(AdaptiveCard card, string id) =>
        card.Body.Single(e => e is InputText t && t.Id == id || e is InputChoiceSet c && c.Id == id);

    private static AccessFormPolicy FormPolicy(IPlanetScaleService service)
    {
        var loaded = PolicyFileLoader.Parse(Policy);
        Assert.True(loaded.IsValid, string.Join(Environment.NewLine, loaded.Errors));
        return new AccessFormPolicy(new PolicyEvaluator(loaded.Document!, Organization), service, Options.Create(new PlanetScaleOptions { DefaultOrganization = Organization }));
    }

    private DialogChoiceSource Source(IPlanetScaleService service, AccessFormPolicy? formPolicy = null) =>
        new(formPolicy ?? FormPolicy(service), service, Options.Create(new PlanetScaleOptions { DefaultOrganization = Organization }), time, NullLogger<DialogChoiceSource>.Instance);

    /// <summary>A PlanetScale whose database list never answers until its caller gives up; everything else is the inner one.</summary>
    public class HangingDatabaseList : DispatchProxy
    {
        private IPlanetScaleService inner = null!;

        public static IPlanetScaleService Over(IPlanetScaleService inner)
        {
            var proxy = Create<IPlanetScaleService, HangingDatabaseList>();
            ((HangingDatabaseList)(object)proxy).inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IPlanetScaleService.ListDatabasesAsync)
                ? Hang((CancellationToken)args![^1]!)
                : targetMethod.Invoke(inner, args);

        private static async Task<IReadOnlyList<string>> Hang(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }
    }
}
