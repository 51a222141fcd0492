using System.Text;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;

namespace PscaleBot.Bot.Slack.Files;

/// <summary>
/// Shares a <see cref="SlackFileAnswer"/> the way Slack asks since <c>files.upload</c> was retired: reserve an upload
/// (<c>files.getUploadURLExternal</c>), POST the bytes to the URL it returns, then share it
/// (<c>files.completeUploadExternal</c>) with the message as its comment. A private answer goes to the requester's DM
/// with the bot (<see cref="SlackDirectMessageChannels"/>), a public one (<c>--public</c>) to the channel. Failures are
/// <see cref="SlackApiException"/>s naming the step, never the content.
/// </summary>
public sealed class SlackFileUploader(HttpClient http, SlackApiClient slack, SlackDirectMessageChannels directMessages)
{
    /// <summary>Uploads <paramref name="file"/> and shares it where <paramref name="publicly"/> says.</summary>
    public async Task ShareAsync(SlackReplyTarget target, SlackFileAnswer file, string comment, bool publicly, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(file.Content);
        var (uploadUrl, fileId) = await slack.ReserveUploadAsync(file.FileName, bytes.Length, cancellationToken);
        HttpResponseMessage response;
        try
        {
            using var content = new ByteArrayContent(bytes);
            response = await http.PostAsync(uploadUrl, content, cancellationToken);
        }
        catch (HttpRequestException)
        {
            throw new SlackApiException("file upload", "unreachable");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException("file upload", $"http_{(int)response.StatusCode}");
            }
        }

        var channel = publicly || target.IsDirect && target.ChannelId != target.UserId
            ? target.ChannelId
            : await directMessages.OpenAsync(target.UserId, cancellationToken);
        await slack.CompleteUploadAsync(fileId, file.Title, channel, comment, cancellationToken);
    }
}
