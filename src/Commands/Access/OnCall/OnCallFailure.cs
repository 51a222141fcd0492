using System.Net;
using Refit;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>Turns a failed call to an on-call service into the sentence approvers read; no key, header or body ever goes in it.</summary>
internal static class OnCallFailure
{
    /// <summary>
    /// Runs <paramref name="call"/> within <paramref name="timeout"/> on <paramref name="time"/>'s clock; any failure
    /// becomes <see cref="OnCallRosterUnavailableException"/>.
    /// </summary>
    public static async Task<T> GuardAsync<T>(string service, TimeSpan timeout, TimeProvider time, Func<CancellationToken, Task<T>> call)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new OnCallRosterUnavailableException(
                $"{service} did not answer within {timeout.TotalSeconds:0.#} s, so on-call auto-approval was skipped.", ex);
        }
        catch (ApiException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new OnCallRosterUnavailableException(
                $"{service} refused the bot's API key ({(int)ex.StatusCode}), so on-call auto-approval was skipped; an admin should check OnCall:{service}:ApiKey.", ex);
        }
        catch (ApiException ex)
        {
            throw new OnCallRosterUnavailableException(
                $"{service} answered {(int)ex.StatusCode} {ex.StatusCode}, so on-call auto-approval was skipped.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiRequestException or System.Text.Json.JsonException)
        {
            throw new OnCallRosterUnavailableException($"{service} could not be reached, so on-call auto-approval was skipped.", ex);
        }
    }
}
