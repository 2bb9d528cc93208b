using System.Security.Claims;
using Bunit;
using Bunit.Extensions.WaitForHelpers;
using Bunit.TestDoubles;
using FedChat.Core.Posts;
using FedChat.Tests.Components;
using FedChat.Tests.Support;
using FedChat.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Workshop.Tests;

/// <summary>
/// Exercise 3: show how many replies a post has, on its card in every timeline of a real server. Alice
/// and Carol are on server A, Bob on server B; Alice follows Bob, so Bob's posts reach server A.
/// The timeline page is rendered live, connected to server A, as a browser would see it.
/// </summary>
[Trait("Workshop", "Exercise3")]
public class Exercise3ReplyCountChecks : ComponentTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private RunningServer _a = null!;
    private RunningServer _b = null!;
    private BunitAuthorizationContext _auth = null!;

    protected override void AddServices(IServiceCollection services)
    {
        _auth = AddAuthorization();
        Services.AddFallbackServiceProvider(new LazyServices(() => _a?.Services));
    }

    protected override async Task StartAsync()
    {
        _a = await RunningServer.StartAsync("replies-a");
        _b = await RunningServer.StartAsync("replies-b");
    }

    protected override async Task StopAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task EveryTimeline_ShowsHowManyPublicRepliesEachPostHas_FromAnyServer()
    {
        var (alice, carol, bob) = await MeetAsync();
        var question = await PostAsync(_a, alice, new PostDraft("Who brought the cake?"));
        var wifi = await PostAsync(_a, alice, new PostDraft("Is the Wi-Fi working?"));
        await PostAsync(_a, carol, new PostDraft("Not me.", InReplyTo: question.ObjectId));
        await PostAsync(_a, carol, new PostDraft("Yes, since ten.", InReplyTo: wifi.ObjectId));
        // A direct reply: only Alice may know it exists, so it is not counted.
        await PostAsync(_a, carol, new PostDraft("@alice psst, the password is on the fridge", PostVisibility.Direct, InReplyTo: wifi.ObjectId));
        // A reply written on server B: it arrives on server A through federation.
        var bobsReply = await PostAsync(_b, bob, new PostDraft("Me! Chocolate.", InReplyTo: question.ObjectId));
        await ArrivedOnAAsync(bobsReply);

        foreach (var feed in new[] { "local", "federated", "home" })
        {
            var page = RenderTimeline(feed, alice);
            await page.WaitForStateAsync(() => page.FindAll($".post-card[data-post-id='{wifi.Id}']").Count > 0, Patience);

            Check.That(Replies(page, question) == "2 replies",
                $"On the {feed} timeline, the card of a post with two public replies (one written on this server, one from another server) " +
                $"should show \"2 replies\" in an element with class 'post-replies', but it shows {Describe(Replies(page, question))}. " +
                "Count the replies in both tables: Posts (written here) and RemotePosts (from other servers). See hints 1–3 of Exercise 3.");
            Check.That(Replies(page, wifi) == "1 reply",
                $"On the {feed} timeline, the card of a post with one public reply and one direct reply should show \"1 reply\", " +
                $"but it shows {Describe(Replies(page, wifi))}. Leave out direct replies (Audience not null), and write \"1 reply\", not \"1 replies\". See hints 2 and 3 of Exercise 3.");
        }
    }

    [Fact]
    public async Task Timeline_CountsARepliesThatArriveWhileItIsOpen()
    {
        var (alice, carol, bob) = await MeetAsync();
        var post = await PostAsync(_a, alice, new PostDraft("Lunch at one?"));
        var page = RenderTimeline("federated", alice);
        await page.WaitForStateAsync(() => page.FindAll($".post-card[data-post-id='{post.Id}']").Count > 0, Patience);

        await PostAsync(_a, carol, new PostDraft("Yes!", InReplyTo: post.ObjectId));
        await WaitForRepliesAsync(page, post, "1 reply", "a reply written on this server while the page was open");

        // A direct reply first, then a public one from server B: once B's has arrived, only it may have been added.
        await PostAsync(_a, carol, new PostDraft("@alice can I bring a friend?", PostVisibility.Direct, InReplyTo: post.ObjectId));
        await PostAsync(_b, bob, new PostDraft("Count me in.", InReplyTo: post.ObjectId));
        await page.WaitForStateAsync(() => page.Markup.Contains("Count me in.", StringComparison.Ordinal), Patience);
        await WaitForRepliesAsync(page, post, "2 replies", "a public reply from another server (and a direct reply, which does not count) while the page was open");
    }

    /// <summary>Registers Alice and Carol on A and Bob on B; Alice follows Bob.</summary>
    private async Task<(int Alice, int Carol, int Bob)> MeetAsync()
    {
        var alice = await _a.RegisterAsync("alice");
        var carol = await _a.RegisterAsync("carol");
        var bob = await _b.RegisterAsync("bob");
        await Follows.FollowAndWaitAsync(_a, alice.Id, "alice", _b, "bob");
        return (alice.Id, carol.Id, bob.Id);
    }

    private static async Task<PostView> PostAsync(RunningServer server, int authorId, PostDraft draft)
    {
        var created = await server.Get<PostService>().CreatePostAsync(authorId, draft);
        return created.Post ?? throw new InvalidOperationException($"The check could not write its post: {created.Error}");
    }

    private async Task ArrivedOnAAsync(PostView remote) => await Eventually.WaitForAsync(
        () => _a.Get<PostService>().GetRepliesAsync(remote.InReplyTo!, null),
        replies => replies.Any(p => p.ObjectId == remote.ObjectId), "server B's reply to arrive on server A");

    private IRenderedComponent<Timeline> RenderTimeline(string feed, int aliceId)
    {
        _auth.SetAuthorized("alice").SetClaims(new Claim(ClaimTypes.NameIdentifier, aliceId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/?feed={feed}");
        return Render<Timeline>();
    }

    private static string? Replies(IRenderedComponent<Timeline> page, PostView post) =>
        page.FindAll($".post-card[data-post-id='{post.Id}'] .post-replies").FirstOrDefault()?.TextContent.Trim();

    private static async Task WaitForRepliesAsync(IRenderedComponent<Timeline> page, PostView post, string expected, string what)
    {
        try
        {
            await page.WaitForStateAsync(() => Replies(page, post) == expected, Patience);
        }
        catch (WaitForFailedException)
        {
            Assert.Fail($"After {what}, the card should show \"{expected}\" without a reload, but it shows {Describe(Replies(page, post))}. " +
                "The page already hears of new posts (PostCreated, RemotePostReceived in Timeline.razor's OnEvent): " +
                "when one is a public reply, add one to the count of the post it answers. See hint 4 of Exercise 3.");
        }
    }

    private static string Describe(string? text) => text is null ? "no element with class 'post-replies'" : $"\"{text}\"";
}
