using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>Packets for the discovery tests: real Avahi captures (see Fixtures/README.md) and hex helpers.</summary>
internal static class DnsFixture
{
    public static readonly string[] AvahiPacketNames =
    [
        "avahi-service-announcement",
        "avahi-service-probe",
        "avahi-browse-query",
        "avahi-services-enumeration-query",
        "avahi-service-goodbye",
        "avahi-host-announcement",
    ];

    /// <summary>Reads Fixtures/<paramref name="name"/>.hex from the test output folder.</summary>
    public static byte[] Load(string name) =>
        FromHex(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Discovery", "Fixtures", name + ".hex")));

    /// <summary>Reads a fixture with the package's parser.</summary>
    public static Message Parse(string name)
    {
        var message = new Message();
        message.Read(Load(name));
        return message;
    }

    /// <summary>Hex text to bytes; spaces and line breaks are ignored so packets can be laid out by field.</summary>
    public static byte[] FromHex(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
