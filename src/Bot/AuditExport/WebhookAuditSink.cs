using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.AuditExport;

/// <summary>
/// POSTs each batch as <c>application/x-ndjson</c> to <c>AuditExport:WebhookUrl</c> (a typed HttpClient with the shared
/// retry pipeline). Any 2xx is taken as delivered; anything else is a failure and the batch is sent again later, so the
/// receiver may see a batch twice (at least once), never a gap.
/// </summary>
public sealed class WebhookAuditSink(HttpClient http, IOptions<AuditExportOptions> options) : IAuditExportSink
{
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");

    /// <inheritdoc />
    // Scheme, host and path only: a query string or user info may carry a credential.
    public string Description => options.Value.WebhookUrl is { } url
        ? $"the audit export webhook {url.Scheme}://{url.Authority}{url.AbsolutePath}"
        : "the audit export webhook";

    /// <inheritdoc />
    public async Task WriteAsync(ReadOnlyMemory<byte> jsonLines, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.WebhookUrl) { Content = new ReadOnlyMemoryContent(jsonLines) };
        request.Content.Headers.ContentType = NdJson;
        if (!string.IsNullOrEmpty(options.Value.WebhookAuthorization))
        {
            request.Headers.TryAddWithoutValidation("Authorization", options.Value.WebhookAuthorization);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new AuditExportFailedException($"the webhook cannot be reached ({ex.HttpRequestError})", ex);
        }
        catch (Exception ex) when (ex is TimeoutException or Polly.Timeout.TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AuditExportFailedException("the webhook did not answer in time", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AuditExportFailedException($"the webhook answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }
}
