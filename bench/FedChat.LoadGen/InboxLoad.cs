using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using FedChat.Core.ActivityStreams;

namespace FedChat.LoadGen;

/// <summary>The answer to one request: its status (0 when no answer came) and how long it took.</summary>
internal readonly record struct Outcome(SignedActivity Activity, int Status, double Milliseconds);

/// <summary>
/// Posts pre-signed activities to an inbox with a fixed number of requests in flight: each of
/// <c>concurrency</c> workers sends the next unsent activity as soon as its previous one is answered
/// (a closed loop, like a server's delivery workers). Bounded in count and in time.
/// </summary>
internal sealed class InboxLoad(HttpClient client)
{
    /// <summary>Sends every activity once, <paramref name="concurrency"/> at a time, and stops early at <paramref name="deadline"/>.</summary>
    public async Task<List<Outcome>> RunAsync(IReadOnlyList<SignedActivity> activities, int concurrency, TimeSpan deadline)
    {
        var outcomes = new ConcurrentBag<Outcome>();
        var next = -1;
        using var stop = new CancellationTokenSource(deadline);
        async Task Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= activities.Count)
                {
                    return;
                }
                outcomes.Add(await SendAsync(activities[index], stop.Token));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        return [.. outcomes];
    }

    private async Task<Outcome> SendAsync(SignedActivity activity, CancellationToken cancellationToken)
    {
        var request = activity.Request;
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body ?? []) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ActivityStreamsJson.MediaType);
        request.CopyHeadersTo(message);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(message, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return new Outcome(activity, (int)response.StatusCode, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new Outcome(activity, 0, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The value below which <paramref name="fraction"/> of the sorted values lie (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
