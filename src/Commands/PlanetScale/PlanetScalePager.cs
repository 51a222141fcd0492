using PscaleBot.Commands.PlanetScale.Api;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// Follows PlanetScale's page-based lists: <c>per_page=100</c> (the maximum), then <c>next_page</c> until it is null.
/// A server that never ends, or points backwards, is stopped after a bounded number of pages and reported.
/// </summary>
internal static class PlanetScalePager
{
    /// <summary>The page size asked for: PlanetScale's maximum.</summary>
    public const int PerPage = 100;

    public static async Task<IReadOnlyList<T>> CollectAsync<T>(
        Func<int, int, CancellationToken, Task<PlanetScaleList<T>>> fetchPage,
        int maxPages,
        string what,
        CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var page = 1;
        for (var fetched = 1; ; fetched++)
        {
            var list = await fetchPage(page, PerPage, cancellationToken).ConfigureAwait(false);
            if (list.Data is null)
            {
                throw new PlanetScaleAnswerException($"page {page} of the {what} had no `data`");
            }

            items.AddRange(list.Data);
            if (list.NextPage is not { } next)
            {
                return items;
            }

            if (next <= page)
            {
                throw new PlanetScaleAnswerException($"page {page} of the {what} pointed to page {next} as the next one, which would loop");
            }

            if (fetched >= maxPages)
            {
                throw new PlanetScaleAnswerException(
                    $"PlanetScale still offered more {what} after {maxPages} pages of {PerPage}; the bot stopped there rather than loop forever");
            }

            page = next;
        }
    }
}
