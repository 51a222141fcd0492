using System.Text;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Slack.Http;
using PscaleBot.Bot.Tests.Slack.Fakes;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackSignatureVerifierTests
{
    // Slack's documented example ("Verifying requests from Slack").
    private const string ExampleSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string ExampleTimestamp = "1531420618";
    private const string ExampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string ExampleBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static FakeTimeProvider ClockAt(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    private static SignatureCheck VerifyExample(FakeTimeProvider clock, string? timestamp = ExampleTimestamp, string? signature = ExampleSignature, string body = ExampleBody, string secret = ExampleSecret) =>
        new SlackSignatureVerifier(secret, clock).Verify(timestamp, signature, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Slacks_documented_example_is_valid() =>
        Assert.Equal(SignatureCheck.Valid, VerifyExample(ClockAt(1531420618 + 30)));

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Timestamps_at_the_edge_of_the_five_minute_window_are_accepted(int offset) =>
        Assert.Equal(SignatureCheck.Valid, VerifyExample(ClockAt(1531420618 + offset)));

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void Timestamps_outside_the_window_either_way_are_stale(int offset) =>
        Assert.Equal(SignatureCheck.Stale, VerifyExample(ClockAt(1531420618 + offset)));

    [Fact]
    public void A_changed_body_does_not_match() =>
        Assert.Equal(SignatureCheck.Mismatch, VerifyExample(ClockAt(1531420618), body: ExampleBody.Replace("text=", "text=delete")));

    [Fact]
    public void A_different_secret_does_not_match() =>
        Assert.Equal(SignatureCheck.Mismatch, VerifyExample(ClockAt(1531420618), secret: "another-secret"));

    [Fact]
    public void An_empty_secret_never_verifies_even_a_matching_signature()
    {
        var ts = 1531420618L;
        var signature = SlackSigner.Sign("", ts, "a=b");
        var verifier = new SlackSignatureVerifier("", ClockAt(ts));
        Assert.Equal(SignatureCheck.Mismatch, verifier.Verify(ts.ToString(), signature, "a=b"u8));
    }

    [Theory]
    [InlineData(null, ExampleSignature)]
    [InlineData(ExampleTimestamp, null)]
    [InlineData("", ExampleSignature)]
    [InlineData(ExampleTimestamp, "")]
    public void Missing_headers_are_reported_as_missing(string? timestamp, string? signature) =>
        Assert.Equal(SignatureCheck.Missing, VerifyExample(ClockAt(1531420618), timestamp, signature));

    [Theory]
    [InlineData("15314x0618", ExampleSignature)]
    [InlineData("-1531420618", ExampleSignature)]
    [InlineData("99999999999999999999", ExampleSignature)]
    [InlineData(ExampleTimestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData(ExampleTimestamp, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData(ExampleTimestamp, "v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50")]
    [InlineData(ExampleTimestamp, "v0=a2114d57")]
    public void Malformed_headers_are_reported_as_malformed(string timestamp, string signature) =>
        Assert.Equal(SignatureCheck.Malformed, VerifyExample(ClockAt(1531420618), timestamp, signature));

    [Fact]
    public void Upper_case_hex_of_the_right_signature_is_accepted() =>
        Assert.Equal(SignatureCheck.Valid, VerifyExample(ClockAt(1531420618), signature: "v0=" + ExampleSignature[3..].ToUpperInvariant()));
}
