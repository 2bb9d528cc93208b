using System.Text.Json;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Storage.Entities;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>Small activities for delivery tests: a Create of a Note by Alice, numbered.</summary>
internal static class Activities
{
    public const string Alice = "https://server-a.example/users/alice";

    public static string IdOf(int number) => $"{Alice}/activities/{number}";

    public static string Create(int number) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = IdOf(number),
        ["type"] = "Create",
        ["actor"] = Alice,
        ["object"] = new Dictionary<string, object> { ["type"] = "Note", ["content"] = $"Hello number {number}" },
    });

    /// <summary>Enqueues activities <paramref name="from"/>..<paramref name="to"/> to the given inboxes.</summary>
    public static async Task EnqueueAsync(DeliveryQueue queue, int from, int to, params Uri[] inboxes)
    {
        for (var number = from; number <= to; number++)
        {
            await queue.EnqueueAsync(IdOf(number), Create(number), signerUserId: null, inboxes);
        }
    }
}

/// <summary>A sender with no network: answers from a script and counts the calls. For retry timing tests.</summary>
internal sealed class ScriptedDeliverySender(Func<OutgoingDelivery, DeliveryResult> script) : IDeliverySender
{
    private int _calls;

    public int Calls => _calls;

    public Task<DeliveryResult> SendAsync(OutgoingDelivery delivery, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(script(delivery));
    }
}
