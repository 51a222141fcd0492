using System.Data.Common;

namespace PscaleBot.Bot.Chat.Stores;

/// <summary>Builds a parameterised command on an open connection; values are never spliced into SQL text.</summary>
public static class StoreCommand
{
    /// <summary>A command for <paramref name="sql"/> with <c>@name</c> parameters (null becomes SQL NULL).</summary>
    public static DbCommand Create(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
