using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Core.Federation.Delivery;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>
/// Relayed copies that a receiver refuses are counted for that receiver, so the map can show who
/// refused them and why: the real delivery worker, real HTTP, the federation log fed by the event feed.
/// </summary>
public class RelayedCopyRefusalTests
{
    [Fact]
    public async Task ARelayedCopyRefusedWith401_CountsAsRefusedForThatServer_WithItsReason_AndAnAcceptedOneAsAccepted()
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var refusing = await TestInbox.StartAsync(rig.Clock);
        await using var accepting = await TestInbox.StartAsync(rig.Clock);
        refusing.Respond = _ => Task.FromResult(new InboxReply(401));
        var log = rig.Process.Get<FederationActivityLog>(); // listening before anything is sent
        rig.Process.StartWorker();

        // Signed by the instance actor (no user) and carrying relay headers: a relayed copy.
        await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [refusing.InboxUrl, accepting.InboxUrl],
            relay: new RelayHeaders("http://192.168.1.40:5080 http://192.168.1.41:5080", "http://192.168.1.40:5080 http://192.168.1.41:5080"));

        await DeliveryRig.WaitUntilAsync(() => Task.FromResult(log.Relayed.Values.Sum(c => c.Accepted + c.Refused) == 2),
            TimeSpan.FromSeconds(10), "both relayed copies to be answered");
        var refused = log.Relayed[PeerDirectory.KeyOf(refusing.InboxUrl)];
        var accepted = log.Relayed[PeerDirectory.KeyOf(accepting.InboxUrl)];
        Assert.Equal((0, 1), (refused.Accepted, refused.Refused));
        Assert.StartsWith("The inbox answered 401", refused.LastReason, StringComparison.Ordinal);
        Assert.Equal((1, 0, null), (accepted.Accepted, accepted.Refused, accepted.LastReason));
    }

    [Fact]
    public async Task ADeliveryWithoutRelayHeaders_IsNotARelayedCopy()
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var inbox = await TestInbox.StartAsync(rig.Clock);
        inbox.Respond = _ => Task.FromResult(new InboxReply(401));
        var log = rig.Process.Get<FederationActivityLog>();
        rig.Process.StartWorker();

        await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [inbox.InboxUrl]); // no relay headers
        await HttpDeliveryTests.WaitForAttemptAsync(rig, 1);

        await DeliveryRig.WaitUntilAsync(() => Task.FromResult(log.Recent.Count == 1), TimeSpan.FromSeconds(10), "the failed send in the log");
        Assert.Empty(log.Relayed);
        Assert.StartsWith("Could not deliver", log.Recent.Single().Summary, StringComparison.Ordinal);
    }
}
