using Microsoft.Extensions.Options;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>The outcome of the start-up credential check, for the host to log.</summary>
/// <param name="CredentialsAccepted">PlanetScale answered <c>GET /organizations</c> with a list.</param>
/// <param name="OrganizationVisible">The configured default organization is in that list.</param>
/// <param name="Organization">The configured default organization.</param>
/// <param name="VisibleOrganizations">The organizations the credentials can see.</param>
/// <param name="FailureKind">Why the call failed, when it did.</param>
/// <param name="Summary">One line for the log; never contains credentials.</param>
public sealed record PlanetScaleCredentialReport(
    bool CredentialsAccepted,
    bool OrganizationVisible,
    string Organization,
    IReadOnlyList<string> VisibleOrganizations,
    PlanetScaleErrorKind? FailureKind,
    string Summary)
{
    /// <summary>True when the bot can be expected to work.</summary>
    public bool IsHealthy => CredentialsAccepted && OrganizationVisible;
}

/// <summary>
/// Asks PlanetScale which organizations the configured credentials can see and whether the default organization is
/// one of them. Meant for the host to run once at start-up and log; it never throws for a PlanetScale failure.
/// </summary>
public sealed class PlanetScaleCredentialCheck(IPlanetScaleService service, IOptions<PlanetScaleOptions> options)
{
    /// <summary>Runs the check.</summary>
    public async Task<PlanetScaleCredentialReport> CheckAsync(CancellationToken cancellationToken)
    {
        var organization = options.Value.DefaultOrganization;
        IReadOnlyList<string> visible;
        try
        {
            visible = await service.ListOrganizationsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PlanetScaleApiException exception)
        {
            return new PlanetScaleCredentialReport(false, false, organization, [], exception.Kind,
                $"PlanetScale credential check failed: {exception.Message}");
        }

        var code = PlanetScaleOperation.Code(organization);
        if (visible.Contains(organization, StringComparer.OrdinalIgnoreCase))
        {
            return new PlanetScaleCredentialReport(true, true, organization, visible, null,
                $"PlanetScale credentials accepted; organization {code} is visible.");
        }

        string summary;
        if (visible.Count == 0)
        {
            summary = $"PlanetScale credentials accepted, but they can see no organization, so {code} could not be confirmed; a service token may lack `read_organization`.";
        }
        else
        {
            var suggestion = NameSuggester.Closest(organization, visible) is { } closest ? $" Did you mean {PlanetScaleOperation.Code(closest)}?" : "";
            summary = $"PlanetScale credentials accepted, but organization {code} is not among the {visible.Count} they can see " +
                      $"({string.Join(", ", visible.Take(10).Select(PlanetScaleOperation.Code))}).{suggestion} Check PlanetScale:DefaultOrganization.";
        }

        return new PlanetScaleCredentialReport(true, false, organization, visible, null, summary);
    }
}
