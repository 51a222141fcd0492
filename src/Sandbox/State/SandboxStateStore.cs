using System.Text.Json;
using System.Text.Json.Serialization;

namespace PscaleBot.Sandbox.State;

/// <summary>
/// Owns the sandbox state: one async lock serialises every read and change, and each change is written
/// to the state file (when there is one) atomically, via a temporary file moved over the old one.
/// </summary>
internal sealed class SandboxStateStore : IDisposable
{
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly string? path;
    private readonly SandboxState state;

    private SandboxStateStore(string? path, SandboxState state)
    {
        this.path = path;
        this.state = state;
    }

    /// <summary>The state file, or null when state lives only in memory.</summary>
    public string? StatePath => path;

    /// <summary>
    /// Loads the state file, or seeds when there is none, when <paramref name="fresh"/> is set, or when
    /// <paramref name="path"/> is null. The bot credential's secret is (re)set to <paramref name="botSecret"/>.
    /// </summary>
    public static async Task<SandboxStateStore> OpenAsync(
        string? path, bool fresh, DateTimeOffset now, string botTokenId, string botSecret, CancellationToken cancellationToken)
    {
        SandboxState? loaded = null;
        if (path is not null && !fresh && File.Exists(path))
        {
            try
            {
                await using var stream = File.OpenRead(path);
                loaded = await JsonSerializer.DeserializeAsync<SandboxState>(stream, FileJson, cancellationToken);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException(
                    $"The sandbox state file '{path}' is not valid JSON ({e.Message}). Start with --fresh (Sandbox:Fresh=true) to replace it with the seed.", e);
            }
        }

        var state = loaded ?? SandboxSeed.Create(now, botSecret);
        EnsureBotCredential(state, now, botTokenId, botSecret);
        var store = new SandboxStateStore(path, state);
        await store.SaveAsync(cancellationToken);
        return store;
    }

    /// <summary>Runs a read (or an in-memory-only touch such as <c>last_used_at</c>) under the lock; nothing is written to disk.</summary>
    public async Task<T> ReadAsync<T>(Func<SandboxState, T> read, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return read(state);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs a change under the lock and persists the result before releasing it.</summary>
    public async Task<T> UpdateAsync<T>(Func<SandboxState, T> update, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var result = update(state);
            await SaveAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    // Deliberately not cancellable once the lock is held: a half-done save must not leave a temp file behind.
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                await JsonSerializer.SerializeAsync(stream, state, FileJson, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void EnsureBotCredential(SandboxState state, DateTimeOffset now, string botTokenId, string botSecret)
    {
        var bot = state.Tokens.Find(t => t.Id == botTokenId);
        if (bot is null)
        {
            // A configured id other than the seeded one: give it the seeded bot's grants.
            var template = SandboxSeed.Create(now, botSecret).Tokens.Find(t => t.Id == SandboxSeed.BotTokenId)!;
            template.Id = botTokenId;
            state.Tokens.RemoveAll(t => t.Id == SandboxSeed.BotTokenId);
            state.Tokens.Insert(0, template);
            return;
        }

        bot.SecretHash = Credentials.Hash(botSecret);
        bot.ExpiresAt = null;
    }
}
