using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Storage.Entities;

namespace FedChat.Tests.Support;

/// <summary>The step many federation tests start with: someone on one server follows someone on another.</summary>
internal static class Follows
{
    /// <summary>
    /// Makes <paramref name="followerName"/> on <paramref name="followerServer"/> follow <paramref name="followeeName"/>
    /// on <paramref name="followeeServer"/>, and waits until the follower's server has the Accept.
    /// </summary>
    public static async Task FollowAndWaitAsync(RunningServer followerServer, int followerUserId, string followerName, RunningServer followeeServer, string followeeName)
    {
        var follower = followerServer.Get<ActorUrls>().ActorId(followerName);
        var followee = followeeServer.Get<ActorUrls>().ActorId(followeeName);
        Assert.Null(await followerServer.Get<FollowService>().FollowAsync(followerUserId, followerName, followee));
        await Eventually.WaitForAsync(() => followerServer.Get<FollowService>().GetStateAsync(follower, followee),
            state => state == FollowState.Accepted, $"{followeeName}'s server to accept {followerName}");
    }
}
