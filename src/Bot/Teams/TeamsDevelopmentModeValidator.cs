using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Teams;

/// <summary>
/// Refuses <see cref="TeamsOptions.AllowUnauthenticatedLoopback"/> outside the Development environment. Behind a
/// reverse proxy on the same host every caller looks like loopback, so in production the setting would let anyone
/// post unauthenticated activities.
/// </summary>
public sealed class TeamsDevelopmentModeValidator(IHostEnvironment environment) : IValidateOptions<TeamsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TeamsOptions options) =>
        options.AllowUnauthenticatedLoopback && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail(
                $"Teams:AllowUnauthenticatedLoopback is for the Agents Playground on a developer's machine and works only when ASPNETCORE_ENVIRONMENT is Development (it is {environment.EnvironmentName}); remove the setting.")
            : ValidateOptionsResult.Success;
}
