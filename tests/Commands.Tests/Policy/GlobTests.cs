using System.Text.RegularExpressions;
using CsCheck;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class GlobTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "prod-main", true)]
    [InlineData("prod", "prod", true)]
    [InlineData("prod", "prod-main", false)]
    [InlineData("prod-*", "prod-", true)]
    [InlineData("prod-*", "prod-main", true)]
    [InlineData("prod-*", "staging-prod-main", false)]
    [InlineData("*-prod", "eu-prod", true)]
    [InlineData("*-prod", "eu-prod-2", false)]
    [InlineData("dev-?", "dev-1", true)]
    [InlineData("dev-?", "dev-", false)]
    [InlineData("dev-?", "dev-12", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("read_*", "read_branch", true)]
    [InlineData("read_*", "connect_branch", false)]
    [InlineData("PROD-*", "prod-main", true)]
    [InlineData("prod-*", "PROD-MAIN", true)]
    public void Matches(string pattern, string name, bool expected) => Assert.Equal(expected, Glob.Compile(pattern).IsMatch(name));

    [Theory]
    [InlineData("", "an empty pattern matches nothing")]
    [InlineData("prod[0-9]", "'[' is not allowed; a pattern uses letters, digits, '-', '_', '.', '*' (any run) and '?' (one character)")]
    [InlineData("prod main", "' ' is not allowed; a pattern uses letters, digits, '-', '_', '.', '*' (any run) and '?' (one character)")]
    [InlineData("{a,b}", "'{' is not allowed; a pattern uses letters, digits, '-', '_', '.', '*' (any run) and '?' (one character)")]
    public void Rejects_bad_patterns(string pattern, string problem)
    {
        Assert.Null(Glob.TryCompile(pattern, out var actual));
        Assert.Equal(problem, actual);
    }

    [Fact]
    public void Agrees_with_a_regex_reference()
    {
        var patternChars = Gen.Char["ab-*?"];
        var nameChars = Gen.Char["ab-"];
        Gen.Select(patternChars.Array[1, 8], nameChars.Array[0, 10]).Sample((p, n) =>
        {
            var pattern = new string(p);
            var name = new string(n);
            var reference = Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            return Glob.Compile(pattern).IsMatch(name) == reference;
        });
    }

    [Fact]
    public void Empty_set_matches_nothing()
    {
        Assert.False(GlobSet.None.IsMatch("anything"));
        Assert.True(GlobSet.Of("a", "b*").IsMatch("bee"));
        Assert.Equal("a, b*", GlobSet.Of("a", "b*").ToString());
    }
}
