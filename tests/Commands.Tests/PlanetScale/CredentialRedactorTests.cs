using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class CredentialRedactorTests
{
    private readonly CredentialRedactor redactor = new(new PlanetScaleOptions
    {
        ServiceTokenId = "svcid0000001",
        ServiceToken = "configured-secret-without-prefix",
        AccessToken = "oauth-access-token-value",
    });

    [Fact]
    public void Removes_configured_secrets_and_anything_shaped_like_a_token_secret()
    {
        var text = redactor.Redact("a configured-secret-without-prefix b oauth-access-token-value c pscale_tkn_AbC123_x d");

        Assert.Equal("a [REDACTED] b [REDACTED] c pscale_tkn_[REDACTED] d", text);
    }

    [Fact]
    public void Quoting_flattens_control_characters_and_bounds_the_length()
    {
        var quoted = redactor.Quote("line one\r\n\tline\u0007two " + new string('x', 400));

        Assert.StartsWith("line one line two xxx", quoted, StringComparison.Ordinal);
        Assert.Equal(301, quoted.Length);
        Assert.EndsWith("…", quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoting_nothing_gives_nothing() => Assert.Equal("", redactor.Quote("  \n "));
}
