using FedChat.Core.Identity;

namespace FedChat.Tests.Identity;

public class ActorUrlsTests
{
    private static readonly ActorUrls Urls = new(new InstanceInfo { BaseUrl = new Uri("http://192.168.1.23:5080/") });

    [Theory]
    [InlineData("http://192.168.1.23:5080/users/alice", true, "alice")]
    [InlineData("http://192.168.1.23:5080/users/alice/posts/3", false, "")]
    [InlineData("http://192.168.1.23:5080/users/alice#main-key", false, "")]
    [InlineData("http://192.168.1.23:5080/users/", false, "")]
    [InlineData("http://192.168.1.24:5080/users/alice", false, "")]
    [InlineData(null, false, "")]
    public void TryParseActorId_AcceptsOnlyOurOwnActors(string? actorId, bool ours, string username)
    {
        Assert.Equal((ours, username), (Urls.TryParseActorId(actorId, out var found), ours ? found : ""));
    }

    [Fact]
    public void NoteIds_RoundTrip()
    {
        Assert.True(Urls.TryParseNoteId(Urls.NoteId("bob", 42), out var username, out var postId));
        Assert.Equal(("bob", 42L), (username, postId));
        Assert.False(Urls.TryParseNoteId(Urls.ActorId("bob"), out _, out _));
    }
}
