namespace PscaleBot.Sandbox.Api;

/// <summary>Carries the authenticated <see cref="Caller"/> on the request.</summary>
internal static class CallerContext
{
    private static readonly object Key = new();

    /// <summary>The caller set by authentication; endpoints run only after it.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[Key] as Caller ?? throw new InvalidOperationException("The request was not authenticated.");

    /// <summary>Records the authenticated caller.</summary>
    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;
}
