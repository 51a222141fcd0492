using System.Data.Common;

namespace PscaleBot.Commands.Diagnostics;

/// <summary>
/// Names a failure of the bot's own database for people and logs: the exception's type and its SQLSTATE, never the
/// server's message (which may quote a query, a path or a value).
/// </summary>
public static class DatabaseFailure
{
    /// <summary>The database failure in <paramref name="exception"/> or its inner exceptions, if any.</summary>
    public static DbException? Find(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException db)
            {
                return db;
            }
        }

        return null;
    }

    /// <summary>"SqliteException", "NpgsqlException 57P01".</summary>
    public static string Name(DbException db) =>
        string.IsNullOrEmpty(db.SqlState) ? db.GetType().Name : $"{db.GetType().Name} {db.SqlState}";
}
