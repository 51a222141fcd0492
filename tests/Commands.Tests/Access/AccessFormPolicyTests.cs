using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Tests.Execution.Fakes;
using static PscaleBot.Commands.Tests.Policy.PolicyTestData;

namespace PscaleBot.Commands.Tests.Access;

/// <summary>
/// The request form's choices come from the policy's decisions on <c>add-access</c>, never from reading role globs: a
/// role's <c>databases</c> and <c>permissions</c> can match while the policy still refuses (another organization) or
/// asks for more (an approval rule on one database only).
/// </summary>
public sealed class AccessFormPolicyTests
{
    private static readonly ChatIdentity Alice = Teams("alice");
    private static readonly ChatPlace Ops = TeamsChannel("19:ops", "team-ops");

    private const string Bindings = """
        bindings:
          - where: teams:channel:19:ops
            who: teams:user:alice
            roles: [first, second]
        """;

    // The first role's globs name prod and connect_production_branch, with no max_duration; but its organizations leave
    // out acme, so add-access on prod in acme is refused. Globs read alone offered prod, that permission and a full day.
    private const string ElsewherePolicy = """
        roles:
          first:
            commands: [add-access]
            organizations: [another-organization]
            databases: [prod]
            permissions: [connect_production_branch]
          second:
            commands: [add-access]
            databases: [staging]
            permissions: [read_branch]
            max_duration: 2h
        """ + "\n" + Bindings;

    [Fact]
    public async Task A_database_the_globs_match_but_the_policy_refuses_in_this_organization_is_not_offered()
    {
        var choices = await Form(ElsewherePolicy).ChoicesAsync(Alice, Ops, CancellationToken.None);

        Assert.Null(choices.Problem);
        Assert.True(choices.DatabasesListed);
        Assert.Equal(["staging"], choices.Databases);
        Assert.Equal(["read_branch"], choices.Permissions.Select(p => p.Name));
        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2)], choices.Durations);
    }

    [Fact]
    public async Task A_reason_is_marked_required_only_when_every_offer_needs_one_and_the_exact_request_is_asked_on_submit()
    {
        const string policy = """
            roles:
              first:
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
              second:
                commands: [access-list]
            """ + "\n" + Bindings;
        var form = Form(policy);

        var choices = await form.ChoicesAsync(Alice, Ops, CancellationToken.None);

        // A role glob reading took "some role's approval wants a reason" as "the form needs one"; staging needs none.
        Assert.Equal(["prod", "staging"], choices.Databases);
        Assert.False(choices.ReasonRequired);
        Assert.Equal(TimeSpan.FromHours(4), choices.Durations[^1]);
        Assert.True(form.ReasonRequired(Alice, Ops, "prod", ["read_branch"], TimeSpan.FromHours(1)));
        Assert.False(form.ReasonRequired(Alice, Ops, "staging", ["read_branch"], TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Without_the_database_list_the_form_offers_what_the_policy_allows_for_some_database()
    {
        var planetScale = PlanetScale();
        planetScale.FailNext(nameof(IPlanetScaleService.ListDatabasesAsync), new PlanetScaleApiException(PlanetScaleErrorKind.Unreachable, "PlanetScale could not be reached."));

        var choices = await Form(ElsewherePolicy, planetScale).ChoicesAsync(Alice, Ops, CancellationToken.None);

        Assert.Null(choices.Problem);
        Assert.False(choices.DatabasesListed);
        Assert.Empty(choices.Databases);
        // Still decided by the policy: the other organization's role adds nothing, even with no database to name.
        Assert.Equal(["read_branch"], choices.Permissions.Select(p => p.Name));
        Assert.Equal(TimeSpan.FromHours(2), choices.Durations[^1]);
    }

    [Fact]
    public async Task Someone_with_no_role_that_may_request_access_gets_a_sentence_and_planetscale_is_not_asked()
    {
        var planetScale = PlanetScale();

        var choices = await Form(ElsewherePolicy, planetScale).ChoicesAsync(Teams("mallory"), Ops, CancellationToken.None);

        Assert.False(choices.CanRequest);
        Assert.Equal("None of your roles in General may request access (`add-access`). Ask where your team's roles apply, or run `whoami` to see yours here.", choices.Problem);
        Assert.Empty(planetScale.Calls);
    }

    [Fact]
    public void Organization_level_permissions_are_left_out_for_a_form_that_always_names_a_database()
    {
        const string policy = """
            roles:
              first:
                commands: [add-access]
                databases: [staging]
                permissions: [read_organization, read_branch]
              second:
                commands: [access-list]
            """ + "\n" + Bindings;
        var form = Form(policy);

        Assert.Equal(["read_organization", "read_branch"], form.Choices(Alice, Ops, ["prod", "staging"]).Permissions.Select(p => p.Name));
        Assert.Equal(["read_branch"], form.Choices(Alice, Ops, ["prod", "staging"], databasePermissionsOnly: true).Permissions.Select(p => p.Name));
    }

    [Fact]
    public void A_caller_whose_roles_allow_nothing_on_the_listed_databases_is_told_so()
    {
        var choices = Form(ElsewherePolicy).Choices(Alice, Ops, ["prod", "analytics"]);

        Assert.False(choices.CanRequest);
        Assert.Equal("Your roles in General allow no permission on any database of acme.", choices.Problem);
    }

    private static InMemoryPlanetScale PlanetScale()
    {
        var planetScale = new InMemoryPlanetScale(new FakeTimeProvider());
        planetScale.AddOrganization(DefaultOrganization, "analytics", "prod", "staging");
        return planetScale;
    }

    private static AccessFormPolicy Form(string yaml, InMemoryPlanetScale? planetScale = null) =>
        new(Evaluator(yaml), planetScale ?? PlanetScale(), Options.Create(new PlanetScaleOptions { DefaultOrganization = DefaultOrganization }));
}
