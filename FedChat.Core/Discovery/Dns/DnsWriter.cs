using System.Buffers.Binary;
using System.Text;

namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// Writes a <see cref="DnsMessage"/> in wire format (RFC 1035 §4.1), with name compression
/// (§4.1.4): when a name ends with labels that are already in the message, those labels are
/// replaced by a two-byte pointer to the earlier copy.
/// </summary>
internal sealed class DnsWriter
{
    // A compression pointer has 14 bits for the offset, so only names starting in the first 16 KiB can be pointed to.
    private const int MaxPointerOffset = 0x3FFF;

    // Where each name suffix already written starts. Keys compare like DNS names do, ignoring ASCII
    // case, so "_FedChat._tcp.local" reuses an earlier "_fedchat._tcp.local" (RFC 4343 §3).
    private readonly Dictionary<DnsName, int> _nameOffsets = [];
    private byte[] _buffer = new byte[512];
    private int _length;

    public static byte[] WriteMessage(DnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new DnsWriter();
        writer.WriteHeader(message);
        foreach (var question in message.Questions)
        {
            writer.WriteQuestion(question);
        }

        foreach (var record in message.AllRecords())
        {
            writer.WriteRecord(record);
        }

        return writer._buffer.AsSpan(0, writer._length).ToArray();
    }

    // RFC 1035 §4.1.1: id, flags, then the number of entries in each of the four sections.
    private void WriteHeader(DnsMessage message)
    {
        if (message.Opcode > 15 || message.ResponseCode > 15)
        {
            throw new ArgumentException("Opcode and ResponseCode are 4-bit fields (0 to 15).", nameof(message));
        }

        var flags = (message.IsResponse ? 0x8000 : 0)
            | (message.Opcode << 11)
            | (message.IsAuthoritative ? 0x0400 : 0)
            | (message.IsTruncated ? 0x0200 : 0)
            | (message.RecursionDesired ? 0x0100 : 0)
            | (message.RecursionAvailable ? 0x0080 : 0)
            | message.ResponseCode;

        WriteUInt16(message.Id);
        WriteUInt16((ushort)flags);
        WriteCount(message.Questions.Count);
        WriteCount(message.Answers.Count);
        WriteCount(message.Authorities.Count);
        WriteCount(message.Additionals.Count);
    }

    private void WriteCount(int count)
    {
        if (count > ushort.MaxValue)
        {
            throw new ArgumentException($"A message section holds at most {ushort.MaxValue} entries, not {count}.");
        }

        WriteUInt16((ushort)count);
    }

    // RFC 1035 §4.1.2, with the mDNS unicast-response bit on top of the class (RFC 6762 §5.4).
    private void WriteQuestion(DnsQuestion question)
    {
        WriteName(question.Name);
        WriteUInt16((ushort)question.Type);
        WriteUInt16(ClassField(question.Class, question.UnicastResponse));
    }

    // RFC 1035 §4.1.3, with the mDNS cache-flush bit on top of the class (RFC 6762 §10.2).
    private void WriteRecord(DnsRecord record)
    {
        WriteName(record.Name);
        WriteUInt16((ushort)record.Type);
        WriteUInt16(ClassField(record.Class, record.CacheFlush));
        WriteUInt32(record.Ttl);

        // RDLENGTH comes before the data, but with compressed names inside we only know it afterwards.
        var lengthOffset = _length;
        WriteUInt16(0);
        WriteRecordData(record.Data);
        var dataLength = _length - lengthOffset - 2;
        if (dataLength > ushort.MaxValue)
        {
            throw new ArgumentException($"The data of a {record.Type} record is {dataLength} bytes; at most {ushort.MaxValue} fit.", nameof(record));
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(lengthOffset), (ushort)dataLength);
    }

    private void WriteRecordData(DnsRecordData data)
    {
        switch (data)
        {
            case ARecordData a:
                WriteBytes(a.Address.GetAddressBytes());
                break;
            case AaaaRecordData aaaa:
                WriteBytes(aaaa.Address.GetAddressBytes());
                break;
            case PtrRecordData ptr:
                WriteName(ptr.Target);
                break;
            case SrvRecordData srv:
                // RFC 2782 forbids compressing the target, but RFC 6762 §18.14 asks mDNS to compress it.
                WriteUInt16(srv.Priority);
                WriteUInt16(srv.Weight);
                WriteUInt16(srv.Port);
                WriteName(srv.Target);
                break;
            case TxtRecordData txt:
                WriteTxtStrings(txt);
                break;
            case NsecRecordData nsec:
                // RFC 4034 §4.1.1 forbids compressing the next domain name; RFC 6762 §18.14 asks mDNS to.
                WriteName(nsec.NextDomainName);
                WriteTypeBitmaps(nsec);
                break;
            case UnknownRecordData unknown:
                WriteBytes(unknown.Bytes.Span);
                break;
            default:
                throw new ArgumentException($"Unsupported record data {data.GetType().Name}.", nameof(data));
        }
    }

    // RFC 1035 §3.3.14: each string is a length byte and that many bytes. An empty TXT record is
    // sent as one empty string, a single zero byte (RFC 6763 §6.1).
    private void WriteTxtStrings(TxtRecordData txt)
    {
        if (txt.Strings.Count == 0)
        {
            WriteByte(0);
            return;
        }

        foreach (var text in txt.Strings)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            WriteByte((byte)bytes.Length); // TxtRecordData made sure it is at most 255
            WriteBytes(bytes);
        }
    }

    // RFC 4034 §4.1.2: types are grouped into windows of 256; each window is its number, the length
    // of its bitmap (1-32 bytes) and the bitmap, where the first bit of the first byte is type 0.
    private void WriteTypeBitmaps(NsecRecordData nsec)
    {
        Span<byte> bitmap = stackalloc byte[32];
        foreach (var window in nsec.Types.GroupBy(type => (int)type >> 8))
        {
            bitmap.Clear();
            var usedBytes = 0;
            foreach (var type in window)
            {
                var low = (int)type & 0xFF;
                bitmap[low / 8] |= (byte)(0x80 >> (low % 8));
                usedBytes = Math.Max(usedBytes, (low / 8) + 1);
            }

            WriteByte((byte)window.Key);
            WriteByte((byte)usedBytes);
            WriteBytes(bitmap[..usedBytes]);
        }
    }

    // RFC 1035 §3.1 and §4.1.4: each label as a length byte and its bytes, ending with a zero byte,
    // or ending early with a pointer to where the rest of the name was already written.
    private void WriteName(DnsName name)
    {
        for (var skipped = 0; skipped < name.Labels.Count; skipped++)
        {
            var suffix = name.Suffix(skipped);
            if (_nameOffsets.TryGetValue(suffix, out var offset))
            {
                WriteUInt16((ushort)(0xC000 | offset));
                return;
            }

            if (_length <= MaxPointerOffset)
            {
                _nameOffsets.Add(suffix, _length);
            }

            var label = Encoding.UTF8.GetBytes(name.Labels[skipped]);
            WriteByte((byte)label.Length); // DnsName made sure it is 1 to 63
            WriteBytes(label);
        }

        WriteByte(0);
    }

    private static ushort ClassField(DnsClass dnsClass, bool topBit)
    {
        if ((ushort)dnsClass > 0x7FFF)
        {
            throw new ArgumentException($"Class {(ushort)dnsClass} does not fit in 15 bits; mDNS uses the top bit for a flag (RFC 6762 §18.12).");
        }

        return (ushort)((ushort)dnsClass | (topBit ? 0x8000 : 0));
    }

    private void WriteByte(byte value) => Reserve(1)[0] = value;

    private void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    private void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    private void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    // Returns the next `count` bytes of the buffer to fill in, growing it when needed.
    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
