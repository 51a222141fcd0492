using PscaleBot.Sandbox.Faults;

namespace PscaleBot.Sandbox.Tests.Faults;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("/v1/organizations/*/service-tokens/*/access", "/v1/organizations/acme/service-tokens/abc123abc123/access", true)]
    [InlineData("/v1/organizations/*/service-tokens/*/access", "/v1/organizations/acme/service-tokens/abc123abc123/grants", false)]
    [InlineData("/v1/organizations/*/service-tokens", "/v1/organizations/acme/service-tokens/abc123abc123", false)]
    [InlineData("/v1/**", "/v1/organizations/acme/service-tokens/abc/access", true)]
    [InlineData("/v1/**/access", "/v1/organizations/acme/service-tokens/abc/access", true)]
    [InlineData("/V1/Organizations", "/v1/organizations/", true)]
    [InlineData("/v1/org.nizations", "/v1/orgXnizations", false)]
    public void MatchesSegmentsAndDeepPaths(string glob, string path, bool expected)
    {
        Assert.Equal(expected, PathGlob.IsMatch(glob, path));
    }
}
