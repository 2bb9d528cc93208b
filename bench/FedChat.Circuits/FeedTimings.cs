using System.Globalization;
using Microsoft.Playwright;

namespace FedChat.Circuits;

/// <summary>
/// Times each activity from its arrival on the server to the moment an open /map page shows it. The
/// map's "what happened" panel draws one <c>li.activity-entry</c> per accepted activity, with the
/// server's arrival time in <c>&lt;time datetime&gt;</c> (the inbox's <c>ReceivedAt</c>, 100 ns precision,
/// so it also tells the entries apart). A <c>MutationObserver</c> in each page stamps
/// <c>performance.timeOrigin + performance.now()</c> when an entry of the load's actor is added; both
/// clocks are this machine's.
/// </summary>
internal static class FeedTimings
{
    /// <summary>The script each page runs before its own: it fills <c>window.__seen</c> (arrival text → when shown, Unix ms).</summary>
    public static string ObserverScript(string actorId) => $$"""
        window.__seen = {};
        new MutationObserver(records => {
            const now = performance.timeOrigin + performance.now();
            for (const record of records) {
                for (const node of record.addedNodes) {
                    if (node.nodeType !== 1) continue;
                    const entries = node.matches('li.activity-entry') ? [node] : node.querySelectorAll('li.activity-entry');
                    for (const entry of entries) {
                        const arrived = entry.querySelector('time')?.getAttribute('datetime');
                        const summary = entry.querySelector('.activity-summary')?.textContent ?? '';
                        if (arrived && summary.includes({{System.Text.Json.JsonSerializer.Serialize(actorId)}}) && !(arrived in window.__seen)) {
                            window.__seen[arrived] = now;
                        }
                    }
                }
            }
        }).observe(document, { childList: true, subtree: true });
        """;

    /// <summary>
    /// Reads every page's stamps and returns, for each entry that arrived at or after <paramref name="since"/>,
    /// arrival → shown in milliseconds, and how many distinct arrivals any page showed.
    /// </summary>
    public static async Task<(List<double> Latencies, int Arrivals)> CollectAsync(IEnumerable<IPage> pages, DateTimeOffset since)
    {
        var latencies = new List<double>();
        var arrivals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__seen");
            foreach (var (arrivedText, shownAt) in seen)
            {
                var arrived = DateTimeOffset.Parse(arrivedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                if (arrived >= since)
                {
                    arrivals.Add(arrivedText);
                    latencies.Add(shownAt - (arrived - DateTimeOffset.UnixEpoch).TotalMilliseconds);
                }
            }
        }
        latencies.Sort();
        return (latencies, arrivals.Count);
    }

    /// <summary>The value below which <paramref name="fraction"/> of the sorted values lie (nearest rank).</summary>
    public static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
