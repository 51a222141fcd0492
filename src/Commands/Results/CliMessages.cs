namespace PscaleBot.Commands.Results;

/// <summary>
/// Sentences the CLI prints word for word. The JSON renderer maps them back to the CLI's JSON answers
/// (<c>{"result":"token deleted"}</c>, <c>[]</c>), so they live in one place.
/// </summary>
public static class CliMessages
{
    /// <summary>The answer to an empty <c>list</c>.</summary>
    public const string NoTokens = "No service tokens have been created yet.";

    /// <summary>The answer to a successful <c>delete</c>.</summary>
    public const string TokenDeleted = "Token was successfully deleted.";
}
