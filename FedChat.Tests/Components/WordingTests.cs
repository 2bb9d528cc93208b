using FedChat.Web.Components.Shared;

namespace FedChat.Tests.Components;

/// <summary>Small wording helpers: plurals, and where long URLs may break.</summary>
public class WordingTests
{
    [Theory]
    [InlineData(0, "followers")]
    [InlineData(1, "follower")]
    [InlineData(2, "followers")]
    public void Plural_SaysOneFollower_NotOneFollowers(int count, string expected) =>
        Assert.Equal(expected, Plural.Of(count, "follower", "followers"));

    [Fact]
    public void UrlText_Parts_EndAtSlashColonDotOrHash_SoNamesStayWhole()
    {
        Assert.Equal(["http:", "/", "/", "192.", "168.", "1.", "40:", "5080/", "users/", "guilherme#", "main-key"],
            UrlText.Parts("http://192.168.1.40:5080/users/guilherme#main-key"));
        Assert.Empty(UrlText.Parts(null));
    }
}
