using FedChat.Core.Posts;

namespace FedChat.Tests.Posts;

public class PostValidationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n ")]
    public void Validate_EmptyPost_IsRefused(string? content) =>
        Assert.Contains("cannot be empty", PostService.Validate(content));

    [Fact]
    public void Validate_500Characters_IsAccepted() => Assert.Null(PostService.Validate(new string('x', 500)));

    [Fact]
    public void Validate_501Characters_IsRefusedWithTheCount() =>
        Assert.Contains("this one has 501", PostService.Validate(new string('x', 501)));
}
