using System.Net;
using System.Text;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Core.Identity;
using FedChat.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Discovery;

/// <summary>Comparing a peer's clock with ours, from the Date header of its NodeInfo answer.</summary>
public class ClockCheckTests
{
    private static readonly DateTimeOffset OurNow = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(75, true, "clock off by 75 min (ahead)")]
    [InlineData(-90, true, "clock off by 90 min (behind)")]
    [InlineData(59, false, "clock off by 59 min (ahead)")]
    [InlineData(60, false, "clock off by 60 min (ahead)")]
    public void IsOff_MoreThanTheSignatureWindowEitherWay(int minutes, bool off, string words)
    {
        var offset = ClockCheck.OffsetOf(OurNow.AddMinutes(minutes), OurNow);

        Assert.Equal(TimeSpan.FromMinutes(minutes), offset);
        Assert.Equal(off, ClockCheck.IsOff(offset, TimeSpan.FromHours(1)));
        Assert.Equal(words, ClockCheck.Describe(offset!.Value));
    }

    [Fact]
    public void OffsetOf_WithoutADateHeader_IsUnknown_AndNotOff()
    {
        Assert.Null(ClockCheck.OffsetOf(null, OurNow));
        Assert.False(ClockCheck.IsOff(null, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task FetchAsync_ReadsTheOffset_FromTheDocumentsDateHeader()
    {
        var peerDate = OurNow.AddMinutes(75);
        using var http = new HttpClient(new FixedNodeInfo(peerDate));
        var client = new NodeInfoClient(http, NullLogger<NodeInfoClient>.Instance, new ManualTimeProvider(OurNow));

        var metadata = await client.FetchAsync(new Uri("http://192.168.1.40:5080/"), CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(75), metadata!.ClockOffset);
        Assert.Equal("fedchat", metadata.Software);
    }

    [Fact]
    public void UpdateMetadata_MarksThePeer_AndIgnoresSecondsOfNoise()
    {
        var peerUrl = new Uri("http://192.168.1.40:5080/");
        var directory = new PeerDirectory(new InstanceInfo { Name = "alice", BaseUrl = new Uri("http://192.168.1.23:5080/") },
            new EventFeed(NullLogger<EventFeed>.Instance), new ManualTimeProvider(OurNow), NullLogger<PeerDirectory>.Instance);
        directory.ReportSeen(new PeerSighting(peerUrl, "bob", PeerSources.Static));

        directory.UpdateMetadata(peerUrl, new NodeInfoMetadata(null, "fedchat", "1.0.0", 1, TimeSpan.FromMinutes(75)));
        directory.UpdateMetadata(peerUrl, new NodeInfoMetadata(null, "fedchat", "1.0.0", 1, TimeSpan.FromMinutes(75) + TimeSpan.FromSeconds(2)));

        Assert.Equal(TimeSpan.FromMinutes(75), directory.Find(peerUrl)!.ClockOffset);
    }

    /// <summary>Answers the two NodeInfo requests as a FedChat server with its clock at <paramref name="date"/> would.</summary>
    private sealed class FixedNodeInfo(DateTimeOffset date) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var json = request.RequestUri!.AbsolutePath == "/.well-known/nodeinfo"
                ? """{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"http://192.168.1.40:5080/nodeinfo/2.1"}]}"""
                : """{"version":"2.1","software":{"name":"fedchat","version":"1.0.0"},"usage":{"users":{"total":1}}}""";
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            response.Headers.Date = date;
            return Task.FromResult(response);
        }
    }
}
