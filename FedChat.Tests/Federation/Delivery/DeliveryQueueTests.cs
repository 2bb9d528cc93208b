using FedChat.Core.Federation.Delivery;
using FedChat.Core.Storage.Entities;

namespace FedChat.Tests.Federation.Delivery;

public class DeliveryQueueTests
{
    private static readonly Uri BobInbox = new("http://127.0.0.1:5081/users/bob/inbox");
    private static readonly Uri ServerBShared = new("http://127.0.0.1:5081/inbox");
    private static readonly Uri ServerCShared = new("http://127.0.0.1:5082/inbox");

    [Fact]
    public async Task EnqueueAsync_SameActivityToSameInboxTwice_StoresOneRow()
    {
        await using var rig = await DeliveryRig.CreateAsync();

        var first = await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [BobInbox]);
        var second = await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [BobInbox]);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.Single(await rig.ReadDeliveriesAsync());
    }

    [Fact]
    public async Task EnqueueAsync_FollowersSharingAnInbox_GetOneDelivery()
    {
        await using var rig = await DeliveryRig.CreateAsync();
        // Three followers: two on server B, which offers a shared inbox, one on server C.
        Uri[] inboxes =
        [
            DeliveryQueue.ChooseInbox(new Uri("http://127.0.0.1:5081/users/bob/inbox"), ServerBShared),
            DeliveryQueue.ChooseInbox(new Uri("http://127.0.0.1:5081/users/carol/inbox"), ServerBShared),
            DeliveryQueue.ChooseInbox(new Uri("http://127.0.0.1:5082/users/dave/inbox"), ServerCShared),
        ];

        var queued = await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), 7, inboxes);

        Assert.Equal(2, queued);
        var rows = await rig.ReadDeliveriesAsync();
        Assert.Equal([ServerBShared.AbsoluteUri, ServerCShared.AbsoluteUri], rows.Select(r => r.InboxUrl));
        Assert.All(rows, r => Assert.Equal(7, r.SignerUserId));
    }

    [Fact]
    public async Task EnqueueAsync_StoresAPendingRowDueNowWithTheGiveUpHorizon()
    {
        await using var rig = await DeliveryRig.CreateAsync(options => options.GiveUpAfter = TimeSpan.FromHours(2));
        var body = Activities.Create(1);

        await rig.Queue.EnqueueAsync(Activities.IdOf(1), body, null, [BobInbox]);

        var row = Assert.Single(await rig.ReadDeliveriesAsync());
        Assert.Equal(DeliveryStatus.Pending, row.Status);
        Assert.Equal("127.0.0.1:5081", row.Destination);
        Assert.Equal(body, row.Body);
        Assert.Equal(rig.Clock.Now, row.NextAttemptAt);
        Assert.Equal(rig.Clock.Now + TimeSpan.FromHours(2), row.GiveUpAt);
        Assert.Equal(0, row.Attempts);
        Assert.Null(row.LeasedUntil);
        Assert.Equal(1, await rig.Queue.CountPendingAsync());
        var status = Assert.Single(await rig.Queue.GetStatusAsync(Activities.IdOf(1)));
        Assert.Equal((BobInbox.AbsoluteUri, DeliveryStatus.Pending), (status.InboxUrl, status.Status));
    }

    [Fact]
    public async Task EnqueueAsync_WithARelativeInbox_Throws()
    {
        await using var rig = await DeliveryRig.CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [new Uri("/inbox", UriKind.Relative)]));
        Assert.Empty(await rig.ReadDeliveriesAsync());
    }
}
