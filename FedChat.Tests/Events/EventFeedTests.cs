using FedChat.Core.Events;
using FedChat.Core.Posts;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Events;

public class EventFeedTests
{
    private static readonly PostView SamplePost = new(1, "alice", "Alice", "@alice@a:1", "hi", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Publish_ReachesEverySubscriber()
    {
        var feed = new EventFeed(NullLogger<EventFeed>.Instance);
        var first = new List<FedChatEvent>();
        var second = new List<FedChatEvent>();
        using var a = feed.Subscribe(first.Add);
        using var b = feed.Subscribe(second.Add);

        feed.Publish(new PostCreated(DateTimeOffset.UnixEpoch, SamplePost));

        Assert.Single(first);
        Assert.Single(second);
    }

    [Fact]
    public void Dispose_StopsDeliveryAndReleasesTheSubscriber()
    {
        var feed = new EventFeed(NullLogger<EventFeed>.Instance);
        var received = new List<FedChatEvent>();
        var subscription = feed.Subscribe(received.Add);

        subscription.Dispose();
        subscription.Dispose(); // twice is harmless
        feed.Publish(new PostCreated(DateTimeOffset.UnixEpoch, SamplePost));

        Assert.Empty(received);
        Assert.Equal(0, feed.SubscriberCount);
    }

    [Fact]
    public void Publish_WhenOneSubscriberThrows_StillReachesTheOthers()
    {
        var feed = new EventFeed(NullLogger<EventFeed>.Instance);
        var received = new List<FedChatEvent>();
        using var broken = feed.Subscribe(_ => throw new InvalidOperationException("closed page"));
        using var working = feed.Subscribe(received.Add);

        feed.Publish(new PostCreated(DateTimeOffset.UnixEpoch, SamplePost));

        Assert.Single(received);
    }
}
