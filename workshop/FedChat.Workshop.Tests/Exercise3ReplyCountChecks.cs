using AngleSharp.Html.Parser;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Workshop.Tests;

/// <summary>Exercise 3: show how many replies a post has, on its card in the timeline of a real server.</summary>
[Trait("Workshop", "Exercise3")]
public class Exercise3ReplyCountChecks
{
    [Fact]
    public async Task Timeline_ShowsHowManyRepliesEachPostHas()
    {
        await using var server = await RunningServer.StartAsync("replies-check");
        var alice = (await server.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var posts = server.Get<PostService>();
        var question = (await posts.CreatePostAsync(alice.Id, new PostDraft("Who brought the cake?"))).Post!;
        var answered = (await posts.CreatePostAsync(alice.Id, new PostDraft("Is the Wi-Fi working?"))).Post!;
        await posts.CreatePostAsync(alice.Id, new PostDraft("Me!", InReplyTo: question.ObjectId));
        await posts.CreatePostAsync(alice.Id, new PostDraft("Not me.", InReplyTo: question.ObjectId));
        await posts.CreatePostAsync(alice.Id, new PostDraft("Yes.", InReplyTo: answered.ObjectId));

        // The page as a browser first gets it (Blazor renders it on the server before it goes live).
        using var client = server.CreateClient();
        var html = await client.GetStringAsync("/?feed=local");
        var page = new HtmlParser().ParseDocument(html);

        string? RepliesOn(PostView post) => page.QuerySelector($".post-card[data-post-id='{post.Id}'] .post-replies")?.TextContent.Trim();
        Check.That(page.QuerySelector($".post-card[data-post-id='{question.Id}']") is not null,
            "The local timeline does not show the test's post at all; is the timeline page still working?");
        Check.That(RepliesOn(question) == "2 replies",
            $"The card of a post with two replies should show \"2 replies\" in an element with class 'post-replies', " +
            $"but it shows {Describe(RepliesOn(question))}. See hints 1–3 of Exercise 3.");
        Check.That(RepliesOn(answered) == "1 reply",
            $"The card of a post with one reply should show \"1 reply\" (not \"1 replies\"), but it shows {Describe(RepliesOn(answered))}. See hint 3 of Exercise 3.");
    }

    private static string Describe(string? text) => text is null ? "no element with class 'post-replies'" : $"\"{text}\"";
}
