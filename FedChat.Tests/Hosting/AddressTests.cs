using System.Net;
using FedChat.Web.Hosting;

namespace FedChat.Tests.Hosting;

public class AddressTests
{
    private static readonly IPAddress[] Lan = [IPAddress.Parse("192.168.1.23")];

    [Theory]
    [InlineData("http://0.0.0.0:5080", "http://192.168.1.23:5080/")]
    [InlineData("http://[::]:5081", "http://192.168.1.23:5081/")]
    [InlineData("http://127.0.0.1:5082", "http://127.0.0.1:5082/")]
    [InlineData("http://10.0.0.5:5083", "http://10.0.0.5:5083/")]
    public void ToPublicUrl_ReplacesWildcardHostsWithTheLanAddress(string bound, string expected) =>
        Assert.Equal(new Uri(expected), PublicAddress.ToPublicUrl(bound, Lan));

    [Fact]
    public void ToPublicUrl_WithoutAnyLan_FallsBackToLocalhost() =>
        Assert.Equal(new Uri("http://localhost:5080/"), PublicAddress.ToPublicUrl("http://0.0.0.0:5080", []));

    [Theory]
    [InlineData("http://0.0.0.0:5081", 5081)]
    [InlineData("http://*:5082;http://[::]:5082", 5082)]
    [InlineData("http://+:5083", 5083)]
    [InlineData(null, null)]
    public void FirstPort_ReadsThePortOfTheFirstUrl(string? urls, int? expected) =>
        Assert.Equal(expected, DataDirectory.FirstPort(urls));
}
