using System.Data.Common;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.Access;

/// <summary>The words a failed revocation leaves on its grant and in the log (<see cref="RevokeFailure"/>).</summary>
public sealed class RevokeFailureTests
{
    [Fact]
    public void PlanetScale_failures_keep_their_own_safe_message() =>
        Assert.Equal("PlanetScale answered 503", RevokeFailure.Describe(new PlanetScaleApiException(PlanetScaleErrorKind.ServerError, "PlanetScale answered 503", 503)));

    [Fact]
    public void A_store_failure_names_the_database_and_its_sqlstate_but_never_quotes_the_server()
    {
        var words = RevokeFailure.Describe(new StoreDown("57P01"));

        Assert.Equal("the bot's own database failed (StoreDown 57P01); the revocation is tried again", words);
        Assert.DoesNotContain("hunter2", words, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_failure_without_a_sqlstate_names_the_type_alone() =>
        Assert.Equal("the bot's own database failed (StoreDown); the revocation is tried again", RevokeFailure.Describe(new StoreDown(null)));

    [Fact]
    public void Anything_else_is_named_by_its_type_only() =>
        Assert.Equal("unexpected InvalidOperationException", RevokeFailure.Describe(new InvalidOperationException("token pscale_tkn_secret")));

    private sealed class StoreDown(string? sqlState) : DbException("terminating connection; password=hunter2")
    {
        public override string? SqlState => sqlState;
    }
}
