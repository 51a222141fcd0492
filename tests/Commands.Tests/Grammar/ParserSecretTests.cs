using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>Credentials never come from chat, and secrets never leave the parser.</summary>
public sealed class ParserSecretTests
{
    private const string Secret = "pscale_tkn_AbC123dEf456GhI789jKl012MnO345pQr678";
    private const string CredentialAdvice = "the bot uses its own configured credentials; never paste credentials in chat.";

    private static readonly ServiceTokenCommandParser Parser = new();

    private static void AssertNothingLeaks(ParseOutcome outcome, string secretValue)
    {
        Assert.DoesNotContain(secretValue, outcome.RedactedText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secretValue, outcome.Error?.Message ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secretValue, outcome.Error?.Usage ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secretValue, outcome.Command?.ToString() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("service-token show " + Secret)]
    [InlineData("service-token delete " + Secret)]
    [InlineData("service-token show-access " + Secret)]
    [InlineData("service-token add-access " + Secret + " read_branch --database prod")]
    [InlineData("service-token delete-access " + Secret + " read_branch --database prod")]
    [InlineData("service-token show PSCALE_TKN_abc")]
    [InlineData(@"service-token show pscale\_tkn\_AbC123dEf456GhI789jKl012MnO345pQr678")]
    [InlineData("service-token show pscale_oauth_AbC123dEf456GhI789jKl012MnO345pQr678")]
    public void A_secret_in_the_token_id_position_is_named_as_such_without_echo(string text)
    {
        var outcome = Parser.Parse(text);
        Assert.False(outcome.Succeeded);
        Assert.True(outcome.ExposedSecret);
        Assert.Equal(
            "that is a service-token secret (`pscale_tkn_…`), not a token ID, so nothing was run. " +
            "Token IDs are 12 lower-case letters and digits, like `hnmkbklsndgi`; `service-token list` shows them.",
            outcome.Error!.Message);
        Assert.StartsWith("Usage: service-token ", outcome.Error.Usage);
        AssertNothingLeaks(outcome, Secret);
        AssertNothingLeaks(outcome, "PSCALE_TKN_abc");
        AssertNothingLeaks(outcome, "AbC123dEf456GhI789jKl012MnO345pQr678");
        Assert.Contains(SecretRedactor.Placeholder, outcome.RedactedText);
    }

    [Theory]
    [InlineData("service-token create --name " + Secret)]
    [InlineData("access deny r1 --reason \"my token is " + Secret + " oops\"")]
    [InlineData("help " + Secret)]
    [InlineData("whoami " + Secret)]
    [InlineData(Secret)]
    [InlineData("service-token list --org " + Secret)]
    [InlineData("service-token " + Secret)]
    [InlineData("service-token list --" + Secret)]
    [InlineData("service-token add-access abc " + Secret + " --database p")]
    [InlineData("access approve " + Secret)]
    [InlineData("service-token list <http://x.io/" + Secret + "|x.io/" + Secret + ">")]
    [InlineData("service-token list \"" + Secret)]
    [InlineData("here you go: abc:" + Secret)]
    public void A_secret_anywhere_else_stops_the_command(string text)
    {
        var outcome = Parser.Parse(text);
        Assert.False(outcome.Succeeded);
        Assert.True(outcome.ExposedSecret);
        Assert.Equal(
            "your message contains a service-token secret (`pscale_tkn_…`), so it was not run: never paste secrets in chat",
            outcome.Error!.Message);
        AssertNothingLeaks(outcome, Secret);
    }

    [Theory]
    [InlineData("access approve pscale_tkn_")]
    [InlineData("access revoke #pscale_tkn_")]
    public void A_bare_secret_prefix_as_a_request_id_is_refused_as_a_secret(string text)
    {
        var outcome = Parser.Parse(text);
        Assert.Equal(
            "your message contains a service-token secret (`pscale_tkn_…`), so it was not run: never paste secrets in chat",
            outcome.Error!.Message);
        Assert.StartsWith("Usage: access ", outcome.Error.Usage);
    }

    [Fact]
    public void A_secret_split_by_invisible_characters_is_still_found()
    {
        var outcome = Parser.Parse("service-token create --name pscale_tkn_abc\u200Bdef");
        Assert.True(outcome.ExposedSecret);
        Assert.False(outcome.Succeeded);
        AssertNothingLeaks(outcome, "pscale_tkn_abcdef");
        AssertNothingLeaks(outcome, "abc\u200Bdef");
    }

    [Theory]
    [InlineData("service-token list --api-token s3cr3tvalue", "api-token", true)]
    [InlineData("service-token list --api-token=s3cr3tvalue", "api-token", true)]
    [InlineData("service-token list --service-token s3cr3tvalue", "service-token", true)]
    [InlineData("service-token list --service-token-id s3cr3tvalue", "service-token-id", true)]
    [InlineData("service-token list --service-token-name s3cr3tvalue", "service-token-name", true)]
    [InlineData("service-token list --api-url s3cr3tvalue", "api-url", false)]
    [InlineData("service-token list --config s3cr3tvalue", "config", false)]
    [InlineData("service-token list --API-TOKEN s3cr3tvalue", "api-token", true)]
    [InlineData("service-token list —api-token s3cr3tvalue", "api-token", true)]
    [InlineData("service-token list -api-token s3cr3tvalue", "api-token", true)]
    [InlineData("--api-token \"s3cr3tvalue with spaces\" service-token list", "api-token", true)]
    [InlineData("--api-token “s3cr3tvalue with spaces” service-token list", "api-token", true)]
    [InlineData("service-token list --api-token 's3cr3tvalue", "api-token", true)]
    [InlineData("service-tokn lsit --service-token s3cr3tvalue --bogus", "service-token", true)]
    public void Credential_flags_are_refused_without_repeating_the_value(string text, string flag, bool exposing)
    {
        var outcome = Parser.Parse(text);
        Assert.False(outcome.Succeeded);
        var expected = $"`--{flag}` is refused: {CredentialAdvice}" +
                       (exposing ? " If you sent a real value, treat it as exposed and rotate it." : string.Empty);
        Assert.Equal(expected, outcome.Error!.Message);
        Assert.Equal(exposing, outcome.ExposedSecret);
        AssertNothingLeaks(outcome, "s3cr3tvalue");
        AssertNothingLeaks(outcome, "with spaces");
        Assert.Contains(SecretRedactor.Placeholder, outcome.RedactedText);
    }

    [Fact]
    public void A_credential_flag_without_a_value_is_still_refused()
    {
        var outcome = Parser.Parse("service-token list --api-token");
        Assert.Equal($"`--api-token` is refused: {CredentialAdvice} If you sent a real value, treat it as exposed and rotate it.", outcome.Error!.Message);
        Assert.False(outcome.ExposedSecret);
    }

    [Fact]
    public void A_credential_flag_wins_over_an_unbalanced_quote()
    {
        var outcome = Parser.Parse("service-token list --api-token \"abc def");
        Assert.StartsWith("`--api-token` is refused", outcome.Error!.Message);
        AssertNothingLeaks(outcome, "abc def");
    }

    [Fact]
    public void Redacted_text_keeps_everything_else()
    {
        var outcome = Parser.Parse($"service-token add-access {Secret} read_branch --database prod");
        Assert.Equal("service-token add-access [REDACTED] read_branch --database prod", outcome.RedactedText);
    }

    [Fact]
    public void Secrets_in_over_long_input_are_flagged_and_redacted()
    {
        var text = "service-token list " + Secret + new string(' ', 5000) + Secret + "x";
        var outcome = Parser.Parse(text);
        Assert.True(outcome.ExposedSecret);
        AssertNothingLeaks(outcome, Secret);
        Assert.StartsWith("service-token list [REDACTED]", outcome.RedactedText);
    }

    [Fact]
    public void A_secret_only_beyond_the_length_limit_is_still_flagged()
    {
        var text = "service-token list" + new string(' ', 5000) + Secret;
        var outcome = Parser.Parse(text);
        Assert.True(outcome.ExposedSecret);
        AssertNothingLeaks(outcome, Secret);
    }

    [Fact]
    public void A_secret_cut_by_the_length_limit_leaves_no_part_behind()
    {
        var text = new string(' ', 3990) + Secret;
        var outcome = Parser.Parse(text);
        Assert.True(outcome.ExposedSecret);
        Assert.DoesNotContain("pscale_tk", outcome.RedactedText, StringComparison.Ordinal);
        Assert.DoesNotContain("AbC", outcome.RedactedText, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_commands_expose_nothing()
    {
        var outcome = Parser.Parse("service-token add-access abc read_branch --database prod --reason \"tkn rotation\"");
        Assert.False(outcome.ExposedSecret);
        Assert.DoesNotContain(SecretRedactor.Placeholder, outcome.RedactedText);
    }
}
