namespace PscaleBot.Commands.Execution;

/// <summary>Words the resource an access command targets, the same way in messages and announcements.</summary>
internal static class ScopeWording
{
    public static string Describe(string? database, string organization) =>
        database is null ? $"organization {organization}" : $"database {database}";
}
