using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.Persistence;

namespace PscaleBot.Bot.Tests.Hosting;

/// <summary>
/// Issue 9, findings 3 and 4: the bot does not start with an unusable audit or access store; the start-up check says
/// which setting and what is wrong, in one sentence. The tests run as root in CI, where a chmod'ed folder stops
/// nothing, so "cannot be written" is a path under a regular FILE (its folder cannot be created by anyone), and
/// "corrupt" is a file of random bytes.
/// </summary>
public sealed class StoreStartupProblemTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("pscale-store-start-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_corrupt_audit_file_is_a_start_up_problem_naming_Audit_Path()
    {
        var path = Path.Combine(directory, "audit.db");
        await File.WriteAllBytesAsync(path, RandomBytes());
        using var host = Build(b => b.AddAudit(), ["Audit:Path", path]);

        var problems = await StartupProblems.FindAsync(host.Services);

        Assert.Equal(
            [$"Audit:Path ({path}) cannot be used: the file is not a SQLite database (corrupt, or another kind of file); move it away so the bot creates a new one, or point the setting at the right file."],
            problems);
    }

    [Fact]
    public async Task An_audit_path_that_cannot_be_created_is_a_start_up_problem()
    {
        var blocker = Path.Combine(directory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var path = Path.Combine(blocker, "sub", "audit.db");
        using var host = Build(b => b.AddAudit(), ["Audit:Path", path]);

        var problem = Assert.Single(await StartupProblems.FindAsync(host.Services));

        Assert.StartsWith($"Audit:Path ({path}) cannot be used: its folder cannot be created or written (", problem);
    }

    [Fact]
    public async Task An_access_store_that_cannot_be_created_is_a_start_up_problem_naming_AccessRequests_StorePath()
    {
        var blocker = Path.Combine(directory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var path = Path.Combine(blocker, "sub", "access.db");
        using var host = Build(b => b.AddAccessRequests(), ["AccessRequests:StorePath", path]);

        var problem = Assert.Single(await StartupProblems.FindAsync(host.Services));

        Assert.StartsWith($"AccessRequests:StorePath ({path}) cannot be used: its folder cannot be created or written (", problem);
    }

    [Fact]
    public async Task A_corrupt_access_store_is_a_start_up_problem()
    {
        var path = Path.Combine(directory, "access.db");
        await File.WriteAllBytesAsync(path, RandomBytes());
        using var host = Build(b => b.AddAccessRequests(), ["AccessRequests:StorePath", path]);

        var problem = Assert.Single(await StartupProblems.FindAsync(host.Services));

        Assert.StartsWith($"AccessRequests:StorePath ({path}) cannot be used: the file is not a SQLite database", problem);
    }

    [Fact]
    public async Task Usable_stores_are_no_problem_and_are_migrated()
    {
        var audit = Path.Combine(directory, "audit.db");
        var access = Path.Combine(directory, "access.db");
        using var host = Build(b => b.AddAudit().AddAccessRequests(), ["Audit:Path", audit, "AccessRequests:StorePath", access]);

        Assert.Empty(await StartupProblems.FindAsync(host.Services));
        Assert.True(File.Exists(audit));
        Assert.True(File.Exists(access));
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[8192];
        new Random(9).NextBytes(bytes);
        return bytes;
    }

    private static IHost Build(Action<IHostApplicationBuilder> add, string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" }); // no build-time validation: only the stores are registered
        builder.Configuration.AddInMemoryCollection(settings.Chunk(2).Select(p => new KeyValuePair<string, string?>(p[0], p[1])));
        add(builder);
        return builder.Build();
    }
}
