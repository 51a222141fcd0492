using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Tests.Secrets;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("token pscale_tkn_abc123", "token [REDACTED]")]
    [InlineData("pscale_tkn_abc-DEF_123+/= rest", "[REDACTED] rest")]
    [InlineData("Authorization: hnmkbklsndgi:pscale_tkn_abc", "Authorization: hnmkbklsndgi:[REDACTED]")]
    [InlineData("a pscale_tkn_x and PSCALE_TKN_Y", "a [REDACTED] and [REDACTED]")]
    [InlineData("{\"token\":\"pscale_tkn_abc\"}", "{\"token\":\"[REDACTED]\"}")]
    [InlineData("pscale_tkn_ alone", "pscale_tkn_ alone")]
    [InlineData("no secrets here", "no secrets here")]
    [InlineData("", "")]
    public void Token_secrets_are_replaced(string input, string expected) =>
        Assert.Equal(expected, SecretRedactor.Redact(input));

    [Theory]
    [InlineData("--api-token abc", "--api-token [REDACTED]")]
    [InlineData("--api-token=abc --org x", "--api-token=[REDACTED] --org x")]
    [InlineData("--service-token abc --service-token-id def", "--service-token [REDACTED] --service-token-id [REDACTED]")]
    [InlineData("--service-token-name n", "--service-token-name [REDACTED]")]
    [InlineData("--api-url http://evil --config /etc/x", "--api-url [REDACTED] --config [REDACTED]")]
    [InlineData("--api-token \"a b c\" list", "--api-token [REDACTED] list")]
    [InlineData("--api-token “a b c” list", "--api-token [REDACTED] list")]
    [InlineData("--api-token 'it's a b' list", "--api-token [REDACTED] list")]
    [InlineData("--api-token \"unbalanced a b c", "--api-token [REDACTED]")]
    [InlineData("—api-token abc", "—api-token [REDACTED]")]
    [InlineData("-api-token abc", "-api-token [REDACTED]")]
    [InlineData("args=--api-token=abc", "args=--api-token=[REDACTED]")]
    [InlineData("--API-TOKEN abc", "--API-TOKEN [REDACTED]")]
    [InlineData("failed to load-config file", "failed to load-config file")]
    [InlineData("--configs x", "--configs x")]
    [InlineData("--api-token", "--api-token")]
    [InlineData("x=--service-token --service-token abc", "x=--service-token --service-token [REDACTED]")]
    [InlineData("--api-token --config=abc", "--api-token --config=[REDACTED]")]
    public void Credential_flag_values_are_replaced(string input, string expected) =>
        Assert.Equal(expected, SecretRedactor.Redact(input));

    // Issue 9, finding 11: Slack's markdown escaping (`\_`) and invisible characters hid the secret from the detector.
    [Theory]
    [InlineData(@"pscale\_tkn\_AbC123dEf456GhI789jKl012MnO345pQr678stu901vwx23")]
    [InlineData("pscale_\u200Btkn_AbC123dEf456GhI789jKl012MnO345pQr678stu901vwx23")]
    [InlineData("pscale_tkn_AbC123dEf456\u200BGhI789jKl012MnO345pQr678stu901vwx23")]
    [InlineData("pscale_oauth_AbC123dEf456GhI789jKl012MnO345pQr678stu901vwx23")]
    [InlineData(@"pscale\_oauth\_AbC123dEf456GhI789jKl012MnO345pQr678stu901vwx23")]
    [InlineData("pscale_pw_AbC123dEf456GhI789jKl012MnO345pQr678stu901vwx23")]
    public void Every_planetscale_secret_shape_is_found_and_replaced_whole_however_it_was_escaped(string secret)
    {
        var text = $"service-token show {secret} please";

        Assert.True(SecretRedactor.ContainsSecret(text));
        Assert.True(SecretRedactor.LooksLikeTokenSecret(secret));
        Assert.Equal("service-token show [REDACTED] please", SecretRedactor.Redact(text));
    }

    [Theory]
    [InlineData("pscale_branch_x")]
    [InlineData("my_pscale_tkn")]
    [InlineData("hnmkbklsndgi")]
    public void Lookalikes_that_are_not_secrets_are_left_alone(string word)
    {
        Assert.False(SecretRedactor.LooksLikeTokenSecret(word));
        Assert.Equal(word, SecretRedactor.Redact(word));
    }

    [Fact]
    public void Null_is_an_empty_string() => Assert.Equal(string.Empty, SecretRedactor.Redact(null));

    [Theory]
    [InlineData("x pscale_tkn_abc", true)]
    [InlineData("--api-token abc", true)]
    [InlineData("--service-token-id abc", true)]
    [InlineData("--api-url http://x", false)]
    [InlineData("--config x", false)]
    [InlineData("--api-token", false)]
    [InlineData("pscale_tkn_", false)]
    [InlineData(null, false)]
    [InlineData("hnmkbklsndgi", false)]
    public void Contains_secret(string? input, bool expected) => Assert.Equal(expected, SecretRedactor.ContainsSecret(input));

    [Theory]
    [InlineData("service-token list --api-url x", "api-url")]
    [InlineData("--CONFIG=x", "config")]
    [InlineData("—service-token-id", "service-token-id")]
    [InlineData("service-token list", null)]
    [InlineData("--configuration x", null)]
    [InlineData("\"--api-token\" x", null)]
    public void First_credential_flag(string input, string? expected) =>
        Assert.Equal(expected, SecretRedactor.FirstCredentialFlag(input));

    [Fact]
    public void Redaction_is_idempotent()
    {
        var once = SecretRedactor.Redact("--api-token abc pscale_tkn_x");
        Assert.Equal(once, SecretRedactor.Redact(once));
        Assert.False(SecretRedactor.ContainsTokenSecret(once));
    }

    [Theory]
    [InlineData("pscale_tkn_abc", true)]
    [InlineData("PSCALE_TKN_abc", true)]
    [InlineData("xpscale_tkn_abc", false)]
    [InlineData(null, false)]
    public void Looks_like_token_secret(string? word, bool expected) =>
        Assert.Equal(expected, SecretRedactor.LooksLikeTokenSecret(word));
}
