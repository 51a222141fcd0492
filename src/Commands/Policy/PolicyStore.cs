using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Holds the policy in force and replaces it when the file changes. A new file is used only when it is valid as a
/// whole; otherwise its errors are logged and the previous policy stays in force (a half-edited file must never
/// widen or wipe access). Start-up is stricter: no valid file, no bot.
/// </summary>
public sealed partial class PolicyStore : IDisposable
{
    private readonly PolicyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PolicyStore> _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _pendingGate = new();
    private readonly string? _defaultOrganization;
    private readonly IReadOnlyList<ITenantAllowList> _tenants;
    private PolicyEvaluator _current;
    private PolicyFileWatcher? _watch;
    private PolicyFilePoll? _poll;
    private CancellationTokenSource? _pending;

    /// <summary>Loads the file named by <see cref="PolicyOptions.Path"/>.</summary>
    /// <param name="options">The policy settings.</param>
    /// <param name="time">Times the reload debounce.</param>
    /// <param name="logger">Receives loads, reloads, rejections and warnings.</param>
    /// <param name="path">The file.</param>
    /// <param name="planetScale">Names the default organization, the only one a role without <c>organizations:</c> allows.</param>
    /// <exception cref="PolicyFileException">The file is missing or invalid; the message lists every error.</exception>
    /// <param name="tenants">Tenant allow-lists that decide who <c>who: "*"</c> may match.</param>
    public PolicyStore(IOptions<PolicyOptions> options, TimeProvider time, ILogger<PolicyStore> logger, PolicyPath path, IOptions<PlanetScaleOptions>? planetScale = null, IEnumerable<ITenantAllowList>? tenants = null)
    {
        _tenants = [.. tenants ?? []];
        _options = options.Value;
        _time = time;
        _logger = logger;
        _defaultOrganization = DefaultOrganization(planetScale);
        FullPath = path.FullPath;
        var result = PolicyFileLoader.Load(FullPath);
        if (!result.IsValid)
        {
            throw new PolicyFileException(FullPath, result.Errors);
        }

        _current = Evaluate(result.Document!);
        LogLoaded(_logger, FullPath, result.Document!.Roles.Count, result.Document.Bindings.Count);
    }

    /// <summary>The policy file's full path.</summary>
    public string FullPath { get; }

    /// <summary>The policy in force now.</summary>
    public PolicyEvaluator Current => Volatile.Read(ref _current);

    /// <summary>Raised after every reload attempt, applied or rejected.</summary>
    public event Action<PolicyLoadResult>? ReloadCompleted;

    /// <summary>Raised when a change has been seen and the debounce delay has started (lets tests advance time).</summary>
    internal event Action? ReloadScheduled;

    /// <summary>Raised when a newer change cancels a pending reload (the quiet period restarts).</summary>
    internal event Action? ReloadSuperseded;

    /// <summary>
    /// Starts watching the file (file-system events, and a content poll every <see cref="PolicyOptions.ReloadInterval"/>);
    /// each burst of changes triggers one reload after <see cref="PolicyOptions.ReloadDebounce"/>.
    /// </summary>
    public void StartWatching()
    {
        if (_watch is not null)
        {
            return;
        }

        _watch = new PolicyFileWatcher(FullPath, OnFileChanged);
        if (_options.ReloadInterval > TimeSpan.Zero)
        {
            _poll = new PolicyFilePoll(FullPath, _options.ReloadInterval, _time, OnFileChanged);
        }

        LogWatching(_logger, FullPath);
    }

    /// <summary>Stops watching (the policy in force stays).</summary>
    public void StopWatching()
    {
        _watch?.Dispose();
        _watch = null;
        _poll?.Dispose();
        _poll = null;
        lock (_pendingGate)
        {
            _pending?.Cancel();
        }
    }

    /// <summary>Reads the file now and applies it when valid; returns what was found.</summary>
    public async Task<PolicyLoadResult> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        PolicyLoadResult result;
        try
        {
            // What the events reported is read now: the poll must not report it a second time.
            _poll?.Rebaseline();
            result = await PolicyFileLoader.LoadAsync(FullPath, cancellationToken).ConfigureAwait(false);
            if (result.IsValid)
            {
                Volatile.Write(ref _current, Evaluate(result.Document!));
                LogReloaded(_logger, FullPath, result.Document!.Roles.Count, result.Document.Bindings.Count);
            }
            else
            {
                LogRejected(_logger, FullPath, result.Errors.Count, string.Join(Environment.NewLine, result.Errors));
            }
        }
        finally
        {
            _reloadGate.Release();
        }

        ReloadCompleted?.Invoke(result);
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        StopWatching();
        _disposed.Cancel();
        _disposed.Dispose();
        _reloadGate.Dispose();
    }

    /// <summary>Called by the file watcher for each change notification.</summary>
    internal void OnFileChanged()
    {
        CancellationTokenSource next;
        var superseded = false;
        lock (_pendingGate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            // A newer change restarts the quiet period: editors and ConfigMap swaps write in several steps.
            if (_pending is not null)
            {
                superseded = !_pending.IsCancellationRequested;
                _pending.Cancel();
                _pending.Dispose();
            }

            _pending = next = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        }

        if (superseded)
        {
            ReloadSuperseded?.Invoke();
        }

        _ = DebounceThenReloadAsync(next);
    }

    // Invalid PlanetScale settings stop the start with their own sentences; the policy must not throw theirs first.
    private static string? DefaultOrganization(IOptions<PlanetScaleOptions>? planetScale)
    {
        try
        {
            return planetScale?.Value.DefaultOrganization;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    // Roles that name no organization allow only the default one: said once per load, so an owner who meant "all" writes ["*"].
    private PolicyEvaluator Evaluate(PolicyDocument document)
    {
        foreach (var role in document.Roles.Where(r => r.Organizations is null))
        {
            LogNoOrganizations(_logger, role.Name, role.Line, FullPath, string.IsNullOrWhiteSpace(_defaultOrganization)
                ? "no organization at all, because PlanetScale:DefaultOrganization is not set"
                : $"only the default organization {_defaultOrganization}");
        }

        return new PolicyEvaluator(document, _defaultOrganization, _tenants);
    }

    private async Task DebounceThenReloadAsync(CancellationTokenSource pending)
    {
        var cancellationToken = pending.Token;
        try
        {
            var quiet = Task.Delay(_options.ReloadDebounce, _time, cancellationToken);
            ReloadScheduled?.Invoke();
            await quiet.ConfigureAwait(false);
            lock (_pendingGate)
            {
                // The quiet period is over: from here on a newer change schedules a new reload, it does not cancel this one.
                if (_pending == pending)
                {
                    _pending = null;
                }
            }

            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            pending.Dispose();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Superseded by a newer change, or shutting down.
        }
        catch (Exception ex)
        {
            // A background reload must never crash the process; the policy in force stays.
            LogReloadFailed(_logger, ex, FullPath);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Policy loaded from {Path}: {Roles} roles, {Bindings} bindings")]
    private static partial void LogLoaded(ILogger logger, string path, int roles, int bindings);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Watching {Path} for policy changes")]
    private static partial void LogWatching(ILogger logger, string path);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Policy reloaded from {Path}: {Roles} roles, {Bindings} bindings")]
    private static partial void LogReloaded(ILogger logger, string path, int roles, int bindings);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error,
        Message = "Policy change in {Path} rejected ({Count} errors); the previous policy stays in force:\n{Errors}")]
    private static partial void LogRejected(ILogger logger, string path, int count, string errors);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning,
        Message = "Policy role {Role} (line {Line} of {Path}) names no organizations, so it allows {Allowed}; write organizations: [\"*\"] to allow every organization, or name them")]
    private static partial void LogNoOrganizations(ILogger logger, string role, int line, string path, string allowed);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Reloading the policy from {Path} failed; the previous policy stays in force")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string path);
}

/// <summary>The policy file's full path: <see cref="PolicyOptions.Path"/> resolved against the content root.</summary>
/// <param name="FullPath">The absolute path.</param>
public sealed record PolicyPath(string FullPath)
{
    /// <summary>Resolves <paramref name="configured"/> against <paramref name="contentRoot"/> (or the working folder).</summary>
    public static PolicyPath Resolve(string configured, string? contentRoot) =>
        new(Path.GetFullPath(configured, contentRoot ?? Directory.GetCurrentDirectory()));
}

/// <summary>The <see cref="IAuthorizationPolicy"/> the bot uses: always the policy in force in <see cref="PolicyStore"/>.</summary>
public sealed class ReloadingAuthorizationPolicy(PolicyStore store) : IAuthorizationPolicy
{
    /// <inheritdoc />
    public PolicyDecision Authorize(ChatIdentity caller, ChatPlace place, BotCommand command, string organization) =>
        store.Current.Authorize(caller, place, command, organization);

    /// <inheritdoc />
    public IReadOnlyList<string> RolesFor(ChatIdentity caller, ChatPlace place) => store.Current.RolesFor(caller, place);

    /// <inheritdoc />
    public bool AllowsSubCommand(ChatIdentity caller, ChatPlace place, string policyName) =>
        store.Current.AllowsSubCommand(caller, place, policyName);

    /// <inheritdoc />
    public bool IsApprover(ChatIdentity approver, ChatPlace place, ApprovalRequirement requirement) =>
        store.Current.IsApprover(approver, place, requirement);

    /// <inheritdoc />
    public bool MayManageBotToken(ChatIdentity caller, ChatPlace place, BotCommand command, string organization) =>
        store.Current.MayManageBotToken(caller, place, command, organization);

    /// <inheritdoc />
    public PolicyDecision AuthorizeExtension(ChatIdentity caller, ChatPlace place, AddAccessCommand lifetime, string organization) =>
        store.Current.AuthorizeExtension(caller, place, lifetime, organization);
}
