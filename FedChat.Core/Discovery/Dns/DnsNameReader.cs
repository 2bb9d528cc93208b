using System.Text;
using System.Text.Unicode;

namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// Reads a possibly compressed domain name from a packet (RFC 1035 §3.1, §4.1.4), trusting none
/// of its bytes.
/// </summary>
/// <remarks>
/// A name is a series of labels (a length byte 1-63, then that many bytes) ending either with a
/// zero byte or with a two-byte pointer (top two bits set, then a 14-bit offset) to where the rest
/// of the name was already written. Pointers are where attacks hide: a pointer to itself, or two
/// pointers to each other, would make a naive reader loop forever. Here every pointer must point
/// before the start of the part of the name that contains it, so each jump goes further back, a
/// loop is impossible, and the work is bounded by the packet size.
/// </remarks>
internal static class DnsNameReader
{
    // Backward-only pointers already rule out loops; this cap is a second, simpler guard. A valid
    // name of at most 255 bytes has at most 127 labels, so it never needs more jumps than that.
    private const int MaxPointerJumps = 127;

    /// <summary>Reads the name at <paramref name="position"/> and moves <paramref name="position"/> past it.</summary>
    /// <param name="packet">The whole packet, which pointers are relative to.</param>
    /// <param name="position">Where the name starts; on return, the first byte after it.</param>
    /// <param name="limit">The bytes of the name itself must end before this offset (the end of the
    /// record data it is in); what pointers lead to may be anywhere before.</param>
    /// <returns>The name.</returns>
    /// <exception cref="DnsFormatException">The name is malformed.</exception>
    public static DnsName Read(ReadOnlySpan<byte> packet, ref int position, int limit)
    {
        var labels = new List<string>();
        var wireLength = 1; // the final zero byte
        var at = position;
        var end = limit;
        var segmentStart = at; // pointers met from here on must point before this
        var resumeAt = -1;     // where the caller continues, once we have followed a pointer
        var jumps = 0;

        while (true)
        {
            if (at >= end)
            {
                throw Error(at, "a name runs past the end of the data");
            }

            int lengthByte = packet[at];
            if (lengthByte == 0)
            {
                at++;
                break;
            }

            switch (lengthByte & 0xC0)
            {
                case 0x00: // a label: length 1-63, then its bytes
                    if (lengthByte > end - at - 1)
                    {
                        throw Error(at, "a name label runs past the end of the data");
                    }

                    wireLength += 1 + lengthByte;
                    if (wireLength > DnsName.MaxNameBytes)
                    {
                        throw Error(at, $"a name is longer than {DnsName.MaxNameBytes} bytes");
                    }

                    var label = packet.Slice(at + 1, lengthByte);
                    if (!Utf8.IsValid(label))
                    {
                        throw Error(at, "a name label is not valid UTF-8 (RFC 6762 §16)");
                    }

                    labels.Add(Encoding.UTF8.GetString(label));
                    at += 1 + lengthByte;
                    break;

                case 0xC0: // a pointer: 14 bits of offset to the rest of the name
                    if (end - at < 2)
                    {
                        throw Error(at, "a compression pointer is cut off");
                    }

                    var target = ((lengthByte & 0x3F) << 8) | packet[at + 1];
                    if (target >= segmentStart)
                    {
                        throw Error(at, $"a compression pointer to offset {target} does not point backwards");
                    }

                    if (++jumps > MaxPointerJumps)
                    {
                        throw Error(at, "a name has too many compression pointers");
                    }

                    if (resumeAt < 0)
                    {
                        resumeAt = at + 2;
                    }

                    // The earlier copy may be anywhere before, e.g. in an earlier record.
                    at = target;
                    segmentStart = target;
                    end = packet.Length;
                    break;

                default: // 0x40 and 0x80: extended or reserved label types (RFC 6891 §5)
                    throw Error(at, $"unsupported label type 0x{lengthByte & 0xC0:X2}");
            }
        }

        position = resumeAt >= 0 ? resumeAt : at;

        // Valid UTF-8 turns back into the same bytes, so the limits checked above still hold.
        return DnsName.FromCheckedLabels([.. labels]);
    }

    private static DnsFormatException Error(int offset, string problem) =>
        new($"Malformed DNS message at offset {offset}: {problem}.");
}
