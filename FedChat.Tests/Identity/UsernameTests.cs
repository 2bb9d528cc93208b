using FedChat.Core.Identity;

namespace FedChat.Tests.Identity;

public class UsernameTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("a")]
    [InlineData("bob_42")]
    [InlineData("abcdefghijklmnopqrstuvwxyz1234")] // exactly 30
    public void Validate_AcceptsLowercaseLettersDigitsAndUnderscore(string username) =>
        Assert.Null(Username.Validate(username));

    [Theory]
    [InlineData("", "Choose a username")]
    [InlineData("abcdefghijklmnopqrstuvwxyz12345", "at most 30")]
    [InlineData("ali ce", "only contain")]
    [InlineData("alice!", "only contain")]
    [InlineData("zoë", "only contain")]
    [InlineData("al-ice", "only contain")]
    public void Validate_RejectsBadUsernames_WithAReason(string username, string expected)
    {
        var error = Username.Validate(username);

        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Normalize_LowercasesAndTrims() => Assert.Equal("alice", Username.Normalize("  Alice "));

    [Fact]
    public void HandleOf_UsesTheHostAndPortOfTheBaseUrl()
    {
        var instance = new InstanceInfo { BaseUrl = new Uri("http://192.168.1.23:5080/") };

        Assert.Equal("@alice@192.168.1.23:5080", instance.HandleOf("alice"));
    }
}
