using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using static PscaleBot.Commands.Tests.Policy.PolicyTestData;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class PolicyStoreTests : IDisposable
{
    // Guards against a hang if a notification never comes; not a speed assertion.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string ViewerInShell = """
        roles:
          viewer: { commands: [list] }
        bindings:
          - { where: shell, who: "*", roles: [viewer] }
        """;

    private const string AdminInShell = """
        roles:
          admin: { commands: ["*"] }
        bindings:
          - { where: shell, who: "*", roles: [admin] }
        """;

    private const string Broken = """
        roles:
          admin: { commands: ["*"] }
        bindings:
          - { where: shell, who: "*", roles: [root] }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("policy-store-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<PolicyStore> _logger = new();

    private string PolicyFile => Path.Combine(_folder, "policy.yaml");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PolicyStore CreateStore(TimeSpan? debounce = null) =>
        new(Options.Create(new PolicyOptions { Path = PolicyFile, ReloadDebounce = debounce ?? TimeSpan.FromMilliseconds(500) }),
            _time, _logger, new PolicyPath(PolicyFile), Options.Create(new PlanetScaleOptions { DefaultOrganization = DefaultOrganization }));

    [Fact]
    public void A_role_without_organizations_allows_only_the_default_organization_and_is_warned_about()
    {
        File.WriteAllText(PolicyFile, ViewerInShell);

        using var store = CreateStore();

        Assert.Equal("allowed: viewer", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, List, "acme")));
        Assert.IsType<PolicyDecision.Denied>(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, List, "other-co"));
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal(
            $"Policy role viewer (line 2 of {PolicyFile}) names no organizations, so it allows only the default organization acme; "
            + "write organizations: [\"*\"] to allow every organization, or name them",
            warning.Message);
    }

    [Fact]
    public void A_role_with_organizations_is_not_warned_about()
    {
        File.WriteAllText(PolicyFile, """
            roles:
              viewer: { commands: [list], organizations: ["*"] }
            bindings:
              - { where: shell, who: "*", roles: [viewer] }
            """);

        using var store = CreateStore();

        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal("allowed: viewer", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, List, "other-co")));
    }

    [Fact]
    public void Start_up_with_an_invalid_file_throws_with_every_error_and_the_setting()
    {
        File.WriteAllText(PolicyFile, Broken);

        var ex = Assert.Throws<PolicyFileException>(() => CreateStore());

        Assert.Equal(
            $"The policy file {PolicyFile} (setting Policy:Path) cannot be used; 1 error:{Environment.NewLine}"
            + "  line 4, column 39: in binding 1: unknown role 'root'",
            ex.Message);
    }

    [Fact]
    public void Start_up_without_the_file_throws_naming_the_setting()
    {
        var ex = Assert.Throws<PolicyFileException>(() => CreateStore());

        Assert.Contains("(setting Policy:Path)", ex.Message);
        Assert.Contains("the file does not exist", ex.Message);
    }

    [Fact]
    public async Task Valid_change_is_applied()
    {
        File.WriteAllText(PolicyFile, ViewerInShell);
        using var store = CreateStore();
        var policy = new ReloadingAuthorizationPolicy(store);
        Assert.IsType<PolicyDecision.Denied>(policy.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, Delete, "acme"));

        File.WriteAllText(PolicyFile, AdminInShell);
        var result = await store.ReloadAsync(CancellationToken.None);

        Assert.True(result.IsValid);
        Assert.Equal("allowed: admin", Describe(policy.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, Delete, "acme")));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.StartsWith("Policy reloaded from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_change_is_rejected_logged_and_the_old_policy_kept()
    {
        File.WriteAllText(PolicyFile, ViewerInShell);
        using var store = CreateStore();
        var before = store.Current;

        File.WriteAllText(PolicyFile, Broken);
        var result = await store.ReloadAsync(CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Same(before, store.Current);
        Assert.Equal("allowed: viewer", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, List, "acme")));
        var log = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("rejected (1 errors); the previous policy stays in force", log.Message);
        Assert.Contains("line 4, column 39: in binding 1: unknown role 'root'", log.Message);
    }

    [Fact]
    public async Task Deleted_file_is_rejected_and_the_old_policy_kept()
    {
        File.WriteAllText(PolicyFile, ViewerInShell);
        using var store = CreateStore();
        var before = store.Current;

        File.Delete(PolicyFile);
        var result = await store.ReloadAsync(CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Same(before, store.Current);
    }

    [Fact]
    public async Task A_burst_of_changes_reloads_once_after_the_quiet_period()
    {
        File.WriteAllText(PolicyFile, ViewerInShell);
        using var store = CreateStore(TimeSpan.FromMilliseconds(500));
        var superseded = 0;
        var completed = 0;
        var reloaded = new TaskCompletionSource<PolicyLoadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.ReloadSuperseded += () => Interlocked.Increment(ref superseded);
        store.ReloadCompleted += r =>
        {
            Interlocked.Increment(ref completed);
            reloaded.TrySetResult(r);
        };
        File.WriteAllText(PolicyFile, AdminInShell);

        store.OnFileChanged();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        store.OnFileChanged();                 // restarts the quiet period
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, superseded);
        Assert.False(reloaded.Task.IsCompleted);
        Assert.Equal("allowed: viewer", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, List, "acme")));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        var result = await reloaded.Task.WaitAsync(Patience);

        Assert.True(result.IsValid);
        Assert.Equal(1, Volatile.Read(ref completed));
        Assert.Equal("allowed: admin", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, Delete, "acme")));
    }

    [Fact]
    public async Task Watcher_applies_a_valid_edit_and_rejects_a_broken_one()
    {
        File.WriteAllText(PolicyFile, ViewerInShell);
        using var store = CreateStore(TimeSpan.FromSeconds(2));
        // Each time the watcher arms the quiet period, let it pass at once: the test drives time, not the clock.
        store.ReloadScheduled += () => _time.Advance(TimeSpan.FromSeconds(2));
        var results = new System.Collections.Concurrent.BlockingCollection<PolicyLoadResult>();
        store.ReloadCompleted += results.Add;
        store.StartWatching();

        await ReplaceFileAsync(AdminInShell);
        await WaitForAsync(results, r => r.IsValid);
        Assert.Equal("allowed: admin", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, Delete, "acme")));

        await ReplaceFileAsync(Broken);
        await WaitForAsync(results, r => !r.IsValid);
        Assert.Equal("allowed: admin", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, Delete, "acme")));
    }

    [Fact]
    public async Task A_ConfigMap_style_symlink_swap_is_seen_by_the_poll_and_applied()
    {
        // What the kubelet does: policy.yaml -> ..data/policy.yaml, ..data -> ..<timestamp>/; an update writes a new
        // timestamped folder, points a temporary link at it and renames that link over ..data. The name the watcher
        // watches (policy.yaml) is never touched.
        var mount = Directory.CreateDirectory(Path.Combine(_folder, "mount")).FullName;
        WriteVersion(mount, "..2026_12_03_12_00_00.1", ViewerInShell);
        File.CreateSymbolicLink(Path.Combine(mount, "..data"), "..2026_12_03_12_00_00.1");
        File.CreateSymbolicLink(Path.Combine(mount, "policy.yaml"), Path.Combine("..data", "policy.yaml"));
        var path = Path.Combine(mount, "policy.yaml");
        var interval = TimeSpan.FromSeconds(10);
        var debounce = TimeSpan.FromMilliseconds(500);
        using var store = new PolicyStore(
            Options.Create(new PolicyOptions { Path = path, ReloadDebounce = debounce, ReloadInterval = interval }),
            _time, _logger, new PolicyPath(path), Options.Create(new PlanetScaleOptions { DefaultOrganization = DefaultOrganization }));
        using var scheduled = new SemaphoreSlim(0);
        store.ReloadScheduled += () => scheduled.Release();
        var reloaded = new TaskCompletionSource<PolicyLoadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.ReloadCompleted += r => reloaded.TrySetResult(r);
        store.StartWatching();
        Assert.Equal("allowed: viewer", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, List, "acme")));

        WriteVersion(mount, "..2026_12_03_12_05_00.2", AdminInShell);
        File.CreateSymbolicLink(Path.Combine(mount, "..data_tmp"), "..2026_12_03_12_05_00.2");
        // rename(2) of the link itself, atomically over the old one (File.Move would follow the link).
        Assert.Equal(0, Rename(Path.Combine(mount, "..data_tmp"), Path.Combine(mount, "..data")));
        Directory.Delete(Path.Combine(mount, "..2026_12_03_12_00_00.1"), recursive: true);

        _time.Advance(interval);
        Assert.True(await scheduled.WaitAsync(Patience), "the poll did not see the new content");
        _time.Advance(debounce);
        var result = await reloaded.Task.WaitAsync(Patience);

        Assert.True(result.IsValid);
        Assert.Equal("allowed: admin", Describe(store.Current.Authorize(ShellUser, PscaleBot.Commands.Model.ChatPlace.Shell, Delete, "acme")));
    }

    [Fact]
    public async Task The_poll_reports_an_unchanged_file_never_and_a_changed_one_once()
    {
        File.WriteAllText(PolicyFile, ViewerInShell);
        var changes = 0;
        using (new PolicyFilePoll(PolicyFile, TimeSpan.FromSeconds(10), _time, () => Interlocked.Increment(ref changes)))
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(0, changes);

            await File.WriteAllTextAsync(PolicyFile, AdminInShell);
            _time.Advance(TimeSpan.FromSeconds(10));
            _time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(1, changes);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string from, string to);

    private static void WriteVersion(string mount, string version, string yaml)
    {
        var folder = Directory.CreateDirectory(Path.Combine(mount, version)).FullName;
        File.WriteAllText(Path.Combine(folder, "policy.yaml"), yaml);
    }

    private async Task ReplaceFileAsync(string text)
    {
        // Write-then-rename, the way editors and ConfigMap updates replace files.
        var temporary = Path.Combine(_folder, $"policy.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, text);
        File.Move(temporary, PolicyFile, overwrite: true);
    }

    private static async Task WaitForAsync(System.Collections.Concurrent.BlockingCollection<PolicyLoadResult> results, Func<PolicyLoadResult, bool> wanted)
    {
        using var patience = new CancellationTokenSource(Patience);
        await Task.Run(() =>
        {
            while (!wanted(results.Take(patience.Token)))
            {
            }
        });
    }
}
