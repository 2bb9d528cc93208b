using FedChat.Core.Identity;

namespace FedChat.Tests.Identity;

/// <summary>Names from other servers are cleaned before they are stored.</summary>
public class RemoteTextTests
{
    [Theory]
    [InlineData("evil\u202Eeman", "evileman")] // RIGHT-TO-LEFT OVERRIDE: would reverse what follows on the page
    [InlineData("\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069", "abcdefg")]
    [InlineData("line\nbreak\ttab", "line break tab")]
    [InlineData("bell\u0007 and \u0085 next line", "bell and  next line")]
    [InlineData("  trimmed  ", "trimmed")]
    [InlineData("مرحبا", "مرحبا")] // right-to-left letters themselves are fine
    [InlineData(null, "")]
    public void Clean_RemovesControlAndBidiOverrideCharacters(string? input, string expected) =>
        Assert.Equal(expected, RemoteText.Clean(input));

    [Fact]
    public void Clean_CutsToTheLimit_NeverInsideASurrogatePair()
    {
        var name = new string('a', 99) + "😀😀";

        var clean = RemoteText.Clean(name);

        Assert.Equal(new string('a', 99), clean); // the emoji would need characters 100 and 101
        Assert.Equal(100, RemoteText.Clean(new string('b', 5000)).Length);
    }
}
