using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PscaleBot.Bot.Persistence.Migrations;

/// <summary>
/// Words why a store cannot be used, for an operator: what is wrong with the file or the database server, not a stack
/// trace. Npgsql's messages never hold the connection string's password, and none is added here.
/// </summary>
public static class StoreFailure
{
    /// <summary>"<paramref name="setting"/> (<paramref name="location"/>) cannot be used: …" as one sentence.</summary>
    public static string Sentence(string setting, string? location, Exception failure) =>
        $"{setting}{(location is null ? "" : $" ({location})")} cannot be used: {Reason(failure)}.";

    /// <summary>What is wrong, in words (no trailing full stop).</summary>
    public static string Reason(Exception failure) => failure switch
    {
        // The result codes: https://www.sqlite.org/rescode.html
        SqliteException { SqliteErrorCode: 26 } => "the file is not a SQLite database (corrupt, or another kind of file); move it away so the bot creates a new one, or point the setting at the right file",
        SqliteException { SqliteErrorCode: 11 } => "the database file is corrupt; restore it from a backup or move it away",
        SqliteException { SqliteErrorCode: 14 } => "the file cannot be opened or created (a missing or read-only folder, or a path through a file)",
        SqliteException { SqliteErrorCode: 8 } => "the file or its folder is read-only, and the bot must write to it",
        SqliteException { SqliteErrorCode: 13 } => "the disk is full",
        SqliteException { SqliteErrorCode: 10 } => "reading or writing the file failed (a disk error)",
        SqliteException sqlite => $"SQLite refused it ({sqlite.Message.TrimEnd('.')})",
        // SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
        PostgresException { SqlState: "28P01" or "28000" } => "the PostgreSQL server refused the user name or password",
        PostgresException { SqlState: "3D000" } => "the database does not exist on the PostgreSQL server; create it, or fix Database= in the connection string",
        PostgresException { SqlState: "42501" } pg => $"the PostgreSQL user lacks a privilege the bot needs ({pg.MessageText.TrimEnd('.')})",
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } pg => $"the PostgreSQL server is not accepting work now ({pg.MessageText.TrimEnd('.')})",
        PostgresException pg => $"PostgreSQL refused it ({pg.SqlState}: {pg.MessageText.TrimEnd('.')})",
        NpgsqlException { InnerException: SocketException socket } => $"the PostgreSQL server cannot be reached ({socket.Message.TrimEnd('.')})",
        NpgsqlException { InnerException: TimeoutException } => "the PostgreSQL server did not answer in time",
        NpgsqlException npgsql => $"talking to the PostgreSQL server failed ({npgsql.Message.TrimEnd('.')})",
        IOException or UnauthorizedAccessException => $"its folder cannot be created or written ({failure.Message.TrimEnd('.')})",
        _ => failure.Message.TrimEnd('.'),
    };
}
