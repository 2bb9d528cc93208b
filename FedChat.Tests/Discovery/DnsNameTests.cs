using FedChat.Core.Discovery.Dns;

namespace FedChat.Tests.Discovery;

public class DnsNameTests
{
    [Fact]
    public void Parse_DottedName_SplitsIntoLabels()
    {
        var name = DnsName.Parse("alice (2)._fedchat._tcp.local");

        Assert.Equal(["alice (2)", "_fedchat", "_tcp", "local"], name.Labels);
        Assert.Equal("alice (2)._fedchat._tcp.local", name.ToString());
    }

    [Fact]
    public void Parse_TrailingDot_IsTheSameName()
    {
        Assert.Equal(DnsName.Parse("local"), DnsName.Parse("local."));
        Assert.True(DnsName.Parse(".").IsRoot);
        Assert.True(DnsName.Parse("").IsRoot);
    }

    [Fact]
    public void Parse_EscapedDot_StaysInsideTheLabel()
    {
        var name = DnsName.Parse(@"Bob's Laptop v2\.0._fedchat._tcp.local");

        Assert.Equal("Bob's Laptop v2.0", name.Labels[0]);
        Assert.Equal(@"Bob's Laptop v2\.0._fedchat._tcp.local", name.ToString());
    }

    [Fact]
    public void Equals_IgnoresAsciiCaseOnly()
    {
        Assert.Equal(DnsName.Parse("MyPrinter.LOCAL"), DnsName.Parse("myprinter.local"));
        Assert.Equal(DnsName.Parse("MyPrinter.LOCAL").GetHashCode(), DnsName.Parse("myprinter.local").GetHashCode());

        // RFC 6762 §16: no case folding beyond A-Z.
        Assert.NotEqual(DnsName.Parse("Ä.local"), DnsName.Parse("ä.local"));
    }

    [Fact]
    public void Constructor_Label64Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DnsName([new string('a', 64), "local"]));
        Assert.Throws<ArgumentException>(() => DnsName.Parse("a..local"));
    }

    [Fact]
    public void Constructor_LabelLengthCountsUtf8Bytes()
    {
        // 21 three-byte characters = 63 bytes fits; one more character does not.
        Assert.Equal(1 + 63 + 1, new DnsName([new string('€', 21)]).WireLength);
        Assert.Throws<ArgumentException>(() => new DnsName([new string('€', 22)]));
    }

    [Fact]
    public void Constructor_Name255Bytes_Fits_256Throws()
    {
        var label63 = new string('a', 63);

        // 3 × (1 + 63) + (1 + 61) + the final zero byte = 255.
        var longest = new DnsName([label63, label63, label63, new string('b', 61)]);

        Assert.Equal(255, longest.WireLength);
        Assert.Throws<ArgumentException>(() => new DnsName([label63, label63, label63, new string('b', 62)]));
    }

    [Fact]
    public void ParentAndPrepend_AreInverse()
    {
        var type = ServiceInstance.FedChatServiceType;

        var instance = type.Prepend("alice (2)");

        Assert.Equal(type, instance.Parent);
        Assert.Equal("alice (2)", instance.Labels[0]);
        Assert.Throws<InvalidOperationException>(() => DnsName.Root.Parent);
    }
}
