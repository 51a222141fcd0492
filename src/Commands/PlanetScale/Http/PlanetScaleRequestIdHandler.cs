namespace PscaleBot.Commands.PlanetScale.Http;

/// <summary>
/// Records PlanetScale's request id of every answer (each attempt, retries included) into
/// <see cref="PlanetScaleCallContext.Current"/>, so the audit log can name the calls a command made.
/// PlanetScale is a Rails application and answers with Rails' <c>X-Request-Id</c>; that is the header read.
/// </summary>
public sealed class PlanetScaleRequestIdHandler : DelegatingHandler
{
    /// <summary>The response header holding the request id.</summary>
    public const string HeaderName = "X-Request-Id";

    /// <summary>Reads the request id of an answer, if it has a plausible one.</summary>
    public static string? ReadRequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues(HeaderName, out var values) ? Plausible(values.FirstOrDefault()) : null;
    }

    /// <summary>Keeps a request id only if it looks like one, so a hostile header cannot inject text into audit records.</summary>
    public static string? Plausible(string? value) =>
        value is { Length: > 0 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? value
            : null;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (ReadRequestId(response) is { } requestId)
        {
            PlanetScaleCallContext.Current?.RecordRequestId(requestId);
        }

        return response;
    }
}
