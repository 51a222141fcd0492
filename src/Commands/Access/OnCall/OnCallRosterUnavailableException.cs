namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// Who is on call could not be found out (service down, slow, refusing the key, or the requester's email unknown).
/// <see cref="Exception.Message"/> is a sentence for the approvers' post, such as "PagerDuty could not be reached, so
/// on-call auto-approval was skipped"; it never contains a key or a response body.
/// </summary>
public sealed class OnCallRosterUnavailableException : Exception
{
    /// <summary>Creates the exception with the sentence approvers will read.</summary>
    public OnCallRosterUnavailableException(string reason)
        : base(reason)
    {
    }

    /// <summary>Creates the exception with the sentence approvers will read and the failure behind it (never logged with headers).</summary>
    public OnCallRosterUnavailableException(string reason, Exception inner)
        : base(reason, inner)
    {
    }

    /// <summary>Creates the exception with a generic sentence.</summary>
    public OnCallRosterUnavailableException()
        : base("The on-call roster could not be read, so on-call auto-approval was skipped.")
    {
    }
}
