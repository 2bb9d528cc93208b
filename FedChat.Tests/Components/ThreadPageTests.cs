using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using FedChat.Core.Posts;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ThreadPage = FedChat.Web.Components.Pages.Thread;

namespace FedChat.Tests.Components;

/// <summary>The conversation page is live: replies, edits and deletions show while it is open. Against a real server.</summary>
public class ThreadPageTests : ComponentTest
{
    private RunningServer _a = null!;
    private BunitAuthorizationContext _auth = null!;

    protected override void AddServices(IServiceCollection services)
    {
        _auth = AddAuthorization();
        Services.AddFallbackServiceProvider(new LazyServices(() => _a?.Services));
    }

    protected override async Task StartAsync() => _a = await RunningServer.StartAsync("server-a");

    protected override Task StopAsync() => _a.DisposeAsync().AsTask();

    [Fact]
    public async Task AReplyWrittenWhileThePageIsOpen_AppearsUnderThePost_AndAReplyToAnotherPostDoesNot()
    {
        var (alice, carol) = (await _a.RegisterAsync("alice"), await _a.RegisterAsync("carol"));
        var posts = _a.Get<PostService>();
        var post = (await posts.CreatePostAsync(alice.Id, "lunch at noon?")).Post!;
        var other = (await posts.CreatePostAsync(alice.Id, "another topic")).Post!;
        var page = OpenThread(alice, post);

        await posts.CreatePostAsync(carol.Id, new PostDraft("about the other topic", InReplyTo: other.ObjectId));
        await posts.CreatePostAsync(carol.Id, new PostDraft("yes, see you there", InReplyTo: post.ObjectId));

        page.WaitForAssertion(() => Assert.Equal(["yes, see you there"], Replies(page)), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AnEditedReply_IsReplaced_AndADeletedOne_IsRemoved_WithoutReload()
    {
        var (alice, carol) = (await _a.RegisterAsync("alice"), await _a.RegisterAsync("carol"));
        var posts = _a.Get<PostService>();
        var post = (await posts.CreatePostAsync(alice.Id, "lunch at noon?")).Post!;
        var first = (await posts.CreatePostAsync(carol.Id, new PostDraft("yes", InReplyTo: post.ObjectId))).Post!;
        var second = (await posts.CreatePostAsync(carol.Id, new PostDraft("and coffee", InReplyTo: post.ObjectId))).Post!;
        var page = OpenThread(alice, post);
        Assert.Equal(["yes", "and coffee"], Replies(page));

        await posts.EditPostAsync(carol.Id, first.Id, "yes, at 12:30");
        await posts.DeletePostAsync(carol.Id, second.Id);

        page.WaitForAssertion(() => Assert.Equal(["yes, at 12:30"], Replies(page)), TimeSpan.FromSeconds(15));
    }

    private IRenderedComponent<ThreadPage> OpenThread(UserAccount viewer, PostView post)
    {
        _auth.SetAuthorized(viewer.Username);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, viewer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Services.GetRequiredService<NavigationManager>().NavigateTo(post.ThreadLink);
        var page = Render<ThreadPage>();
        page.WaitForAssertion(() => Assert.Equal(post.Content, page.Find("#thread-post .post-content").TextContent), TimeSpan.FromSeconds(15));
        return page;
    }

    private static List<string> Replies(IRenderedComponent<ThreadPage> page) =>
        [.. page.FindAll("#thread-replies .post-content").Select(e => e.TextContent)];
}
