using System.Diagnostics;
using FedChat.LoadGen;

namespace FedChat.Circuits;

/// <summary>
/// Shows that the protocol client's figures are real (<c>--client protocol --check</c>): two circuits on
/// /map, then <see cref="Activities"/> activities. The first acknowledges every batch and must see each
/// entry exactly once; the second stops acknowledging before the activities arrive, as a hung browser
/// would, and must miss entries, because the server stops sending batches to a client that is
/// <c>CircuitOptions.MaxBufferedUnacknowledgedRenderBatches</c> (10) behind.
/// </summary>
internal static class ProtocolCheck
{
    private const int Activities = 20;
    private const int PerSecond = 4;

    /// <summary>Runs the check and prints it; 0 when both circuits behave as they must.</summary>
    public static async Task<int> RunAsync(Uri baseUrl, RemoteActorServer actor, Uri inbox, InboxLoad load, string runTag)
    {
        // A few first, so the server has fetched the actor's key and the timed ones arrive one by one,
        // not in one burst that a stalled circuit's last batches could still carry whole.
        await load.RunAtRateAsync(SignedActivities.Sign(actor, inbox, runTag, 0, 3), 3, TimeSpan.FromSeconds(60));
        await using var maps = new ProtocolMaps(baseUrl, actor.ActorId);
        await maps.OpenAsync();
        await maps.OpenAsync();
        var (acknowledging, stalled) = (maps.Circuits[0], maps.Circuits[1]);
        stalled.StopAcknowledging();
        var since = DateTimeOffset.UtcNow;
        var outcomes = await load.RunAtRateAsync(SignedActivities.Sign(actor, inbox, runTag, 3, Activities), PerSecond, TimeSpan.FromSeconds(60));
        var accepted = outcomes.Count(o => o.Status == 202);
        int SeenSince(ProtocolCircuit circuit) =>
            circuit.Seen.Keys.Count(arrival => RenderBatchText.UnixMilliseconds(arrival) >= (since - DateTimeOffset.UnixEpoch).TotalMilliseconds);
        for (var wait = Stopwatch.StartNew(); SeenSince(acknowledging) < accepted && wait.Elapsed < TimeSpan.FromSeconds(15);)
        {
            await Task.Delay(500);
        }
        await Task.Delay(3000); // time for anything late, or twice, to show up

        var seen = SeenSince(acknowledging);
        var missed = accepted - SeenSince(stalled);
        var firstOk = accepted == Activities && seen == accepted && acknowledging.Duplicates == 0 && acknowledging.Error is null;
        var secondOk = missed > 0 && stalled.Duplicates == 0;
        Console.WriteLine("| check (--client protocol --check) | result |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| activities sent / accepted (202) | {outcomes.Count} / {accepted}, {PerSecond} a second |");
        Console.WriteLine($"| circuit 1 acknowledges every batch: entries seen | {seen} of {accepted}, {acknowledging.Duplicates} seen twice, {acknowledging.Batches} batches → {(firstOk ? "OK: each exactly once" : "FAILED")} |");
        Console.WriteLine($"| circuit 2 stopped acknowledging before the activities: entries seen | {accepted - missed} of {accepted}, {stalled.Batches} batches → {(secondOk ? $"OK: {missed} missing, as a hung page misses them" : "FAILED: a circuit that does not acknowledge must miss entries")} |");
        PrintHealth(maps.Circuits);
        return firstOk && secondOk ? 0 : 1;
    }

    /// <summary>Prints what the circuits went through: errors, entries seen twice, and the JavaScript calls answered.</summary>
    public static void PrintHealth(IReadOnlyList<ProtocolCircuit> circuits)
    {
        var errors = circuits.Where(c => c.Error is not null).Select(c => c.Error).ToList();
        Console.WriteLine($"| circuits with an error or closed | {errors.Count}{(errors.Count > 0 ? ", first: " + errors[0] : "")} |");
        Console.WriteLine($"| entries seen twice by one circuit (must be 0) | {circuits.Sum(c => c.Duplicates)} |");
        Console.WriteLine($"| render batches received | {circuits.Sum(c => c.Batches)} |");
        var calls = ProtocolCircuit.JsCalls.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} ×{pair.Value}");
        Console.WriteLine($"| JavaScript calls answered (null, or a JS object reference) | {string.Join(", ", calls)} |");
        Console.WriteLine();
        Console.WriteLine("Protocol clients time each activity from its arrival on the server to the render batch that adds it");
        Console.WriteLine("reaching the client: no DOM, no paint. In a room each dashboard is a browser on its own laptop, so");
        Console.WriteLine("applying a batch costs the server nothing; what the server must do for 100 open maps is render,");
        Console.WriteLine("diff and send those batches, and that is what this measures without 100 browsers on this machine.");
    }
}
