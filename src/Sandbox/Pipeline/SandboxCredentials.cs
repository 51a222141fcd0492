namespace PscaleBot.Sandbox.Pipeline;

/// <summary>The credentials this sandbox run accepts besides stored service tokens.</summary>
/// <param name="BotTokenId">Id of the bot's service token.</param>
/// <param name="BotSecret">Its secret.</param>
/// <param name="AccessToken">The Bearer access token of the admin user.</param>
internal sealed record SandboxCredentials(string BotTokenId, string BotSecret, string AccessToken)
{
    /// <inheritdoc />
    public override string ToString() => $"SandboxCredentials {{ BotTokenId = {BotTokenId}, BotSecret = [REDACTED], AccessToken = [REDACTED] }}";
}
