using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Benchmarks.Rendering;

/// <summary>Which large result a rendering benchmark draws.</summary>
public enum SampleTable
{
    /// <summary>A token's permissions on 300 databases plus the organization, some just added or removed.</summary>
    Permissions300,
    /// <summary><c>list</c> of 500 tokens, named and unnamed, with and without expiry and last use.</summary>
    Tokens500,
}

/// <summary>The results the rendering benchmarks draw; fixed data, so every run renders the same bytes.</summary>
public static class SampleResults
{
    /// <summary>The instant every sample and renderer treats as now.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] DatabasePermissions =
    [
        "read_branch", "connect_branch", "create_branch", "delete_branch", "read_deploy_request",
        "create_deploy_request", "approve_deploy_request", "connect_production_branch", "read_database",
    ];

    /// <summary>300 database rows and the organization row.</summary>
    public static PermissionTable Permissions300 { get; } = BuildPermissions();

    /// <summary>500 tokens.</summary>
    public static TokenTable Tokens500 { get; } = BuildTokens();

    /// <summary>The sample for <paramref name="table"/>.</summary>
    public static CommandResult For(SampleTable table) => table switch
    {
        SampleTable.Permissions300 => Permissions300,
        SampleTable.Tokens500 => Tokens500,
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    private static PermissionTable BuildPermissions()
    {
        var rows = new List<PermissionRow>();
        for (var db = 0; db < 300; db++)
        {
            var count = 2 + db % 5;
            var entries = Enumerable.Range(0, count)
                .Select(i => new PermissionEntry(
                    DatabasePermissions[(db + i) % DatabasePermissions.Length],
                    (db % 17, i) switch
                    {
                        (0, 0) => PermissionChange.Added,
                        (1, 1) => PermissionChange.Removed,
                        _ => PermissionChange.Unchanged,
                    }))
                .ToList();
            rows.Add(new PermissionRow($"team{db % 16:D2}-service-{db:D3}", ResourceKind.Database, entries));
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.ResourceName, b.ResourceName));
        rows.Add(new PermissionRow("acme", ResourceKind.Organization, [new("read_organization"), new("read_databases")]));
        return new PermissionTable("acme", "abc123def456", rows);
    }

    private static TokenTable BuildTokens()
    {
        var tokens = new List<ServiceToken>();
        for (var i = 0; i < 500; i++)
        {
            var created = Now.AddDays(-400 + i % 397).AddMinutes(-i);
            tokens.Add(new ServiceToken(
                Id: $"tk{i:D4}{(char)('a' + i % 26)}x9q2z",
                Name: i % 7 == 0 ? null : $"service-{i % 40:D2}-{(i % 3 == 0 ? "ci" : "app")}-{i}",
                CreatedAt: created,
                ExpiresAt: i % 4 == 0 ? Now.AddDays(i % 30) : null,
                LastUsedAt: i % 5 == 0 ? null : Now.AddHours(-i)));
        }

        return new TokenTable("acme", TokenTableKind.List, tokens);
    }
}

/// <summary>A clock stopped at <see cref="SampleResults.Now"/>, so relative times render the same on every run.</summary>
public sealed class StoppedClock : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => SampleResults.Now;
}
