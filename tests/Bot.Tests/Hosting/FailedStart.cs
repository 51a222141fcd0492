using Microsoft.AspNetCore.Mvc.Testing;

namespace PscaleBot.Bot.Tests.Hosting;

/// <summary>
/// The exception a <see cref="WebApplicationFactory{TEntryPoint}"/> reports when the app refuses to start. The factory
/// races such a start: the app's entry point disposes its host as soon as the host's start throws, and when that
/// happens before the factory's deferred host reads the host's services, the factory reports an
/// <see cref="ObjectDisposedException"/> in place of the app's own exception (seen once in CI). Only that race is
/// tried again, on a fresh factory; any other outcome is returned as it is.
/// </summary>
internal static class FailedStart
{
    private const int Attempts = 5;

    /// <summary>Starts the app <paramref name="create"/> makes and returns why it did not start.</summary>
    public static Exception Of(Func<WebApplicationFactory<Program>> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            // Not disposed: a host whose start failed cannot be stopped, and nothing of it is left running.
            var factory = create();
            try
            {
                factory.CreateClient().Dispose();
            }
            catch (ObjectDisposedException) when (attempt < Attempts)
            {
                continue;
            }
            catch (Exception exception)
            {
                return exception;
            }

            throw new Xunit.Sdk.XunitException("The app started; it was expected to refuse.");
        }
    }
}
