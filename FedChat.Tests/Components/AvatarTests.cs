using AngleSharp.Dom;
using FedChat.Web.Components.Shared;

namespace FedChat.Tests.Components;

public class AvatarTests : ComponentTest
{
    [Theory]
    [InlineData("Ada Lovelace", "AL")]
    [InlineData("bob", "B")]
    [InlineData("  grace   brewster murray hopper ", "GB")]
    [InlineData("", "?")]
    public void InitialsOf_TakesTheFirstLetterOfUpToTwoWords(string name, string expected) =>
        Assert.Equal(expected, Avatar.InitialsOf(name));

    [Fact]
    public async Task Render_ShowsInitials_WithAnAccessibleName()
    {
        var document = await RenderAsync<Avatar>(new() { ["Name"] = "Ada Lovelace", ["Username"] = "ada" });

        var svg = document.QuerySelector("svg")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal("Avatar of Ada Lovelace", svg.GetAttribute("aria-label"));
        Assert.Equal("AL", svg.QuerySelector("text")!.TextContent);
    }

    [Fact]
    public async Task Render_SameUsername_AlwaysGetsTheSameColour_DifferentUsernamesCanDiffer()
    {
        async Task<string> ColourOf(string username) =>
            (await RenderAsync<Avatar>(new() { ["Name"] = "X", ["Username"] = username }))
                .QuerySelector("circle")!.GetAttribute("fill")!;

        var colours = new HashSet<string>();
        foreach (var name in new[] { "alice", "bob", "carol", "dave", "erin", "frank" })
        {
            colours.Add(await ColourOf(name));
        }

        Assert.Equal(await ColourOf("alice"), await ColourOf("alice"));
        Assert.True(colours.Count > 1, "all six users got the same colour");
    }
}
