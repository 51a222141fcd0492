using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PscaleBot.Bot.Persistence;

/// <summary>The database engine of every store (section <c>Storage</c>; environment <c>Storage__Provider</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Storage";

    /// <summary>The setting that holds the PostgreSQL connection string (environment <c>ConnectionStrings__Postgres</c>).</summary>
    public const string ConnectionStringSetting = "ConnectionStrings:Postgres";

    /// <summary>
    /// <c>Sqlite</c> (default: one process, files placed by <c>Audit:Path</c> and <c>AccessRequests:StorePath</c>) or
    /// <c>Postgres</c> (several replicas on one database named by <c>ConnectionStrings:Postgres</c>). A string, not an
    /// enum, so a misspelling is reported as a sentence instead of a binder exception.
    /// </summary>
    public string Provider { get; set; } = nameof(StorageProvider.Sqlite);

    /// <summary>The PostgreSQL connection string, from <c>ConnectionStrings:Postgres</c>. Holds a password: never log it.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The parsed <see cref="Provider"/>; <see cref="StorageProvider.Sqlite"/> until validated.</summary>
    public StorageProvider Engine =>
        Enum.TryParse<StorageProvider>(Provider, ignoreCase: true, out var engine) && Enum.IsDefined(engine) ? engine : StorageProvider.Sqlite;
}

/// <summary>The engines the stores run on.</summary>
public enum StorageProvider
{
    /// <summary>SQLite files: the shell and a single server.</summary>
    Sqlite,

    /// <summary>One PostgreSQL database shared by every replica.</summary>
    Postgres,
}

/// <summary>Checks <see cref="StorageOptions"/> at start: one sentence per mistake, never the password.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Example = "Host=db.example.com;Port=5432;Database=pscalebot;Username=pscalebot;Password=…";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!Enum.TryParse<StorageProvider>(options.Provider, ignoreCase: true, out var engine) || !Enum.IsDefined(engine)
            || int.TryParse(options.Provider, out _))
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider is '{options.Provider}': use Sqlite (the default, for one process) or Postgres (several replicas, with ConnectionStrings:Postgres).");
        }

        if (engine != StorageProvider.Postgres)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider is Postgres but ConnectionStrings:Postgres is empty: set it (environment ConnectionStrings__Postgres) to the database's connection string, for example {Example}.");
        }

        return Problem(options.PostgresConnectionString) is { } problem
            ? ValidateOptionsResult.Fail($"ConnectionStrings:Postgres cannot be used: {problem}; write it as {Example}.")
            : ValidateOptionsResult.Success;
    }

    private static string? Problem(string connectionString)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The parser's message may quote a value; take it out when it could be the password.
            return $"it is not a PostgreSQL connection string ({WithoutPassword(ex.Message.TrimEnd('.'), connectionString)})";
        }

        return string.IsNullOrWhiteSpace(parsed.Host) ? "it names no Host (the server's name or address)" : null;
    }

    private static string WithoutPassword(string message, string connectionString)
    {
        try
        {
            var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in new[] { "password", "pwd" })
            {
                if (generic.TryGetValue(key, out var value) && value is string { Length: > 0 } secret)
                {
                    message = message.Replace(secret, "***", StringComparison.Ordinal);
                }
            }

            return message;
        }
        catch (ArgumentException)
        {
            return "check the keywords, the semicolons and the quoting";
        }
    }
}
