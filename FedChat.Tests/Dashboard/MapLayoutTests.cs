using FedChat.Web.Dashboard;

namespace FedChat.Tests.Dashboard;

public class MapLayoutTests
{
    private static List<string> Servers(int count) => [.. Enumerable.Range(1, count).Select(i => $"http://192.168.1.{i}:5080")];

    [Fact]
    public void Arrange_AddingAServer_LeavesTheOthersWhereTheyWere()
    {
        var layout = new MapLayout();
        var before = layout.Arrange(Servers(10));

        var after = layout.Arrange(Servers(11));

        foreach (var (key, point) in before)
        {
            Assert.Equal(point, after[key]);
        }
    }

    [Fact]
    public void Arrange_RemovingAServer_LeavesTheOthersWhereTheyWere()
    {
        var layout = new MapLayout();
        var servers = Servers(12);
        var before = layout.Arrange(servers);

        servers.RemoveAt(3);
        var after = layout.Arrange(servers);

        Assert.Equal(11, after.Count);
        foreach (var (key, point) in after)
        {
            Assert.Equal(before[key], point);
        }
    }

    [Fact]
    public void Arrange_SameServersInTheSameOrder_GivesTheSameMap_OnAFreshLayout()
    {
        // What another laptop, or this one after a restart, computes.
        Assert.Equal(new MapLayout().Arrange(Servers(20)), new MapLayout().Arrange(Servers(20)));
    }

    [Fact]
    public void Arrange_ThirtyServers_KeepsEveryTwoFarApart()
    {
        var points = new MapLayout().Arrange(Servers(30)).Values.ToList();

        var closest = points.SelectMany((a, i) => points.Skip(i + 1).Select(b => Distance(a, b))).Min();
        Assert.True(closest > 3 * MapLayout.NodeRadius, $"closest centres {closest:0} apart");
        Assert.All(points, p => Assert.True(Distance(p, new MapPoint(0, 0)) > MapLayout.SelfRadius + (2 * MapLayout.NodeRadius)));
    }

    [Fact]
    public void Arrange_FillsInnerRingsFirst()
    {
        var layout = new MapLayout();
        layout.Arrange(Servers(MapLayout.SlotsOn(0)));
        Assert.Equal(1, layout.RingsInUse);

        layout.Arrange(Servers(MapLayout.SlotsOn(0) + 1));
        Assert.Equal(2, layout.RingsInUse);
    }

    [Fact]
    public void Arrange_EveryPeerTheDirectoryCanHold_GetsItsOwnPlace()
    {
        var points = new MapLayout().Arrange(Servers(256)).Values;

        Assert.Equal(256, points.Distinct().Count());
    }

    private static double Distance(MapPoint a, MapPoint b) => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2));
}
