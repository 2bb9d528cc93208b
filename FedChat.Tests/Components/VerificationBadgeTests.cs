using AngleSharp.Dom;
using Bunit;
using FedChat.Core.Posts;
using FedChat.Web.Components.Shared;

namespace FedChat.Tests.Components;

/// <summary>The verification chip under a post: one state each, icon, colour and words together.</summary>
public class VerificationBadgeTests : ComponentTest
{
    private const string Bob = "http://192.168.1.40:5080/users/bob";
    private static readonly DateTimeOffset Written = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static readonly PostVerification Verified = new(
        ProofVerified: true, ProofStatus: "Verified", KeyId: Bob + "#main-key", SignatureScheme: "draft-cavage-http-signatures-12",
        TransportSigner: Bob, ProofMethod: Bob + "#ed25519-key", ProofFailureReason: null, RelayPath: []);

    [Fact]
    public void LocalPost_SaysSignedByTheAuthorHere_InAGreenChipWithATick()
    {
        var badge = RenderBadge(new PostView(1, "alice", "Alice", "@alice@a:1", "hi", Written));

        Assert.Equal("local", badge.GetAttribute("data-verdict"));
        Assert.Equal("✓", Text(badge, ".verification-icon"));
        Assert.Equal("signed by the author (this server)", Text(badge, ".verification-words"));
        Assert.Contains("mud-chip-color-success", badge.QuerySelector(".mud-chip")!.ClassName);
        Assert.NotNull(badge.QuerySelector(".mud-chip svg"));
        Assert.Contains("Written on this server", badge.TextContent);
    }

    [Fact]
    public void ImportedPost_SaysWhereItWasWritten_AndThatItsProofWasCheckedOnImport()
    {
        var post = new PostView(7, "alice", "Alice", "@alice@192.168.1.24:5080", "hi", Written) { ImportedFrom = "http://192.168.1.23:5080/users/alice/posts/1" };

        var badge = RenderBadge(post);

        Assert.Equal("imported", badge.GetAttribute("data-verdict"));
        Assert.Equal("imported from 192.168.1.23:5080, proof checked on import", Text(badge, ".verification-words"));
        Assert.DoesNotContain("this server", badge.TextContent);
    }

    [Fact]
    public void ProofVerified_ShowsTickAndWords_AndDetailsNameKeySchemeAndSigner()
    {
        var badge = RenderBadge(RemotePost(Verified));

        Assert.Equal("verified", badge.GetAttribute("data-verdict"));
        Assert.Equal("✓", Text(badge, ".verification-icon"));
        Assert.Equal("author proof verified", Text(badge, ".verification-words"));
        Assert.Contains("mud-chip-color-success", badge.QuerySelector(".mud-chip")!.ClassName);
        Assert.Equal(Bob + "#main-key", Text(badge, ".key-id"));
        Assert.Equal("draft-cavage-http-signatures-12", Text(badge, ".scheme"));
        Assert.Equal($"the author: {Bob}", Text(badge, ".signer"));
        Assert.Equal($"verified with {Bob}#ed25519-key", Text(badge, ".proof"));
        Assert.Null(badge.QuerySelector(".failure-reason"));
        Assert.Null(badge.QuerySelector(".relay-path"));
    }

    [Fact]
    public void TransportSignedOnly_ShowsTildeWordsAndInfoColour_AndTheReason()
    {
        var badge = RenderBadge(RemotePost(Verified with
        {
            ProofVerified = false,
            ProofStatus = "Missing",
            ProofMethod = null,
            ProofFailureReason = "The activity has no proof.",
            SignatureScheme = "RFC 9421",
        }));

        Assert.Equal("transport", badge.GetAttribute("data-verdict"));
        Assert.Equal("~", Text(badge, ".verification-icon"));
        Assert.Equal("transport-signed only, no author proof", Text(badge, ".verification-words"));
        Assert.Contains("mud-chip-color-info", badge.QuerySelector(".mud-chip")!.ClassName);
        Assert.Equal("none (missing)", Text(badge, ".proof"));
        Assert.Equal("The activity has no proof.", Text(badge, ".failure-reason"));
    }

    [Fact]
    public void RemotePostWithoutARecord_SaysSo_WithAQuestionMark()
    {
        var badge = RenderBadge(new PostView(5, "bob", "Bob", "@bob@b:1", "hello", Written, IsRemote: true, AuthorActorId: Bob));

        Assert.Equal("unknown", badge.GetAttribute("data-verdict"));
        Assert.Equal("?", Text(badge, ".verification-icon"));
        Assert.Equal("verification not recorded", Text(badge, ".verification-words"));
        Assert.Contains("mud-chip-color-default", badge.QuerySelector(".mud-chip")!.ClassName);
    }

    [Fact]
    public void RelayedPost_NamesTheRelayingServer_AndThePathOriginFirst_AsHostAndPort()
    {
        var relay = "http://192.168.1.50:5080/actor";
        var badge = RenderBadge(RemotePost(Verified with
        {
            TransportSigner = relay,
            KeyId = relay + "#main-key",
            RelayPath = ["http://192.168.1.40:5080", "http://192.168.1.50:5080"],
        }));

        Assert.Equal($"a relaying server: {relay}", Text(badge, ".signer"));
        Assert.Equal(["192.168.1.40:5080", "192.168.1.50:5080", "this server"],
            badge.QuerySelectorAll(".relay-path li").Select(li => li.TextContent));
    }

    [Fact]
    public void IsADetailsElement_SoClickAndKeyboardOpenIt_WithoutScript()
    {
        var badge = RenderBadge(RemotePost(Verified));

        Assert.Equal("DETAILS", badge.TagName);
        Assert.NotNull(badge.QuerySelector(":scope > summary"));
    }

    [Fact]
    public void LongKeyIds_BreakOnlyAfterSlashOrColon_AndShowInFullOnHover()
    {
        var badge = RenderBadge(RemotePost(Verified));

        var key = badge.QuerySelector(".key-id .url-text")!;
        Assert.Equal(Bob + "#main-key", key.GetAttribute("title"));
        // Every break opportunity (<wbr>) comes right after one of / : . #
        Assert.All(key.QuerySelectorAll("wbr"), wbr => Assert.Matches("[/:.#]$", wbr.PreviousSibling!.TextContent));
        Assert.Contains(key.QuerySelectorAll("wbr"), wbr => wbr.PreviousSibling!.TextContent == "users/");
    }

    private static PostView RemotePost(PostVerification verification) =>
        new(5, "bob", "Bob", "@bob@192.168.1.40:5080", "hello", Written, IsRemote: true, AuthorActorId: Bob, Verification: verification);

    private IElement RenderBadge(PostView post) =>
        Render<VerificationBadge>(p => p.Add(b => b.Post, post)).Find(".verification-badge");

    private static string Text(IElement element, string selector) =>
        string.Join(' ', element.QuerySelector(selector)!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
