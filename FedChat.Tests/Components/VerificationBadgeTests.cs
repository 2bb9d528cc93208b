using AngleSharp.Dom;
using FedChat.Core.Posts;
using FedChat.Web.Components.Shared;

namespace FedChat.Tests.Components;

public class VerificationBadgeTests
{
    private const string Bob = "http://192.168.1.40:5080/users/bob";
    private static readonly DateTimeOffset Written = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static readonly PostVerification Verified = new(
        ProofVerified: true, ProofStatus: "Verified", KeyId: Bob + "#main-key", SignatureScheme: "draft-cavage-http-signatures-12",
        TransportSigner: Bob, ProofMethod: Bob + "#ecdsa-key", ProofFailureReason: null, RelayPath: []);

    [Fact]
    public async Task Render_LocalPost_SaysSignedByTheAuthorHere()
    {
        var post = new PostView(1, "alice", "Alice", "@alice@192.168.1.23:5080", "hi", Written);

        var badge = await RenderAsync(post);

        Assert.Equal("local", badge.GetAttribute("data-verdict"));
        Assert.Equal("✓", Text(badge, ".verification-icon"));
        Assert.Equal("signed by the author (this server)", Text(badge, ".verification-words"));
    }

    [Fact]
    public async Task Render_ImportedPost_SaysWhereItWasWritten_AndThatItsProofWasCheckedOnImport()
    {
        var post = new PostView(7, "alice", "Alice", "@alice@192.168.1.24:5080", "hi", Written) { ImportedFrom = "http://192.168.1.23:5080/users/alice/posts/1" };

        var badge = await RenderAsync(post);

        Assert.Equal("imported", badge.GetAttribute("data-verdict"));
        Assert.Equal("imported from 192.168.1.23:5080, proof checked on import", Text(badge, ".verification-words"));
        Assert.DoesNotContain("this server", badge.TextContent);
    }

    [Fact]
    public async Task Render_ProofVerified_ShowsTickAndWords_AndDetailsNameKeySchemeAndSigner()
    {
        var badge = await RenderAsync(RemotePost(Verified));

        Assert.Equal("verified", badge.GetAttribute("data-verdict"));
        Assert.Equal("✓", Text(badge, ".verification-icon"));
        Assert.Equal("author proof verified", Text(badge, ".verification-words"));
        Assert.Equal(Bob + "#main-key", Text(badge, ".key-id"));
        Assert.Equal("draft-cavage-http-signatures-12", Text(badge, ".scheme"));
        Assert.Equal($"the author: {Bob}", Text(badge, ".signer"));
        Assert.Equal($"verified with {Bob}#ecdsa-key", Text(badge, ".proof"));
        Assert.Null(badge.QuerySelector(".failure-reason"));
        Assert.Null(badge.QuerySelector(".relay-path"));
    }

    [Fact]
    public async Task Render_TransportSignedOnly_ShowsTildeAndWords_AndTheReason()
    {
        var verification = Verified with
        {
            ProofVerified = false,
            ProofStatus = "Missing",
            ProofMethod = null,
            ProofFailureReason = "The activity has no proof.",
            SignatureScheme = "RFC 9421",
        };

        var badge = await RenderAsync(RemotePost(verification));

        Assert.Equal("transport", badge.GetAttribute("data-verdict"));
        Assert.Equal("~", Text(badge, ".verification-icon"));
        Assert.Equal("transport-signed only, no author proof", Text(badge, ".verification-words"));
        Assert.Equal("RFC 9421", Text(badge, ".scheme"));
        Assert.Equal("none (missing)", Text(badge, ".proof"));
        Assert.Equal("The activity has no proof.", Text(badge, ".failure-reason"));
    }

    [Fact]
    public async Task Render_RelayedPost_NamesTheRelayingServer_AndThePathOriginFirst_AsHostAndPort()
    {
        var relay = "http://192.168.1.50:5080/actor";
        var verification = Verified with
        {
            TransportSigner = relay,
            KeyId = relay + "#main-key",
            RelayPath = ["http://192.168.1.40:5080", "http://192.168.1.50:5080"],
        };

        var badge = await RenderAsync(RemotePost(verification));

        Assert.Equal($"a relaying server: {relay}", Text(badge, ".signer"));
        Assert.Equal(["192.168.1.40:5080", "192.168.1.50:5080", "this server"],
            badge.QuerySelectorAll(".relay-path li").Select(li => li.TextContent));
    }

    [Fact]
    public async Task Render_IsADetailsElement_SoClickAndKeyboardOpenIt()
    {
        var badge = await RenderAsync(RemotePost(Verified));

        Assert.Equal("DETAILS", badge.TagName);
        Assert.NotNull(badge.QuerySelector(":scope > summary"));
    }

    private static PostView RemotePost(PostVerification verification) =>
        new(5, "bob", "Bob", "@bob@192.168.1.40:5080", "hello", Written, IsRemote: true, AuthorActorId: Bob, Verification: verification);

    private static async Task<IElement> RenderAsync(PostView post) =>
        (await ComponentRenderer.RenderAsync<VerificationBadge>(new() { ["Post"] = post })).QuerySelector(".verification-badge")!;

    private static string Text(IElement element, string selector) =>
        string.Join(' ', element.QuerySelector(selector)!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
