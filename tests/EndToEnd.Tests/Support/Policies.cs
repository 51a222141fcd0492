namespace PscaleBot.EndToEnd.Tests.Support;

/// <summary>Policy files the end-to-end tests run under.</summary>
public static class Policies
{
    /// <summary>Everyone in the shell is db-admin; nobody anywhere else has anything.</summary>
    public const string ShellAdmin = """
        roles:
          db-admin:
            commands: ["*"]
            databases: ["*"]
            permissions: ["*"]
        bindings:
          - where: shell
            who: "*"
            roles: [db-admin]
        """;
}
