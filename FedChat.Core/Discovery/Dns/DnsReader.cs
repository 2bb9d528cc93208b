using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Unicode;

namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// Reads a <see cref="DnsMessage"/> from wire format (RFC 1035 §4.1) without trusting any byte of
/// it: every read is bounds-checked, and every problem becomes a <see cref="DnsFormatException"/>
/// that says what was wrong and at which offset.
/// </summary>
internal ref struct DnsReader
{
    private const int HeaderLength = 12;

    // The smallest possible question is the root name (1 byte) + type + class; the smallest
    // record is the root name + type, class, TTL and RDLENGTH. Used to check the header's counts.
    private const int MinQuestionLength = 1 + 4;
    private const int MinRecordLength = 1 + 10;

    private readonly ReadOnlySpan<byte> _packet;
    private int _position;

    // Reads may not go past this offset: the end of the packet, or the end of the record data
    // being read, so a name or string inside a record cannot run into the next record.
    private int _limit;

    public DnsReader(ReadOnlySpan<byte> packet)
    {
        _packet = packet;
        _limit = packet.Length;
    }

    public DnsMessage ReadMessage()
    {
        // RFC 1035 §4.1.1
        if (_packet.Length < HeaderLength)
        {
            throw Error($"the packet is {_packet.Length} bytes, shorter than the {HeaderLength}-byte header");
        }

        var id = ReadUInt16();
        var flags = ReadUInt16();
        int questionCount = ReadUInt16();
        int answerCount = ReadUInt16();
        int authorityCount = ReadUInt16();
        int additionalCount = ReadUInt16();

        // Check the counts against the bytes that follow before allocating anything: a 40-byte
        // packet that claims 65535 answers must not make us reserve room for 65535 records.
        var recordCount = answerCount + authorityCount + additionalCount;
        var minimumLength = (questionCount * MinQuestionLength) + (recordCount * MinRecordLength);
        if (minimumLength > _packet.Length - HeaderLength)
        {
            throw Error($"the header announces {questionCount} questions and {recordCount} records, "
                + $"which need at least {minimumLength} bytes, but only {_packet.Length - HeaderLength} follow");
        }

        var questions = new List<DnsQuestion>(questionCount);
        for (var i = 0; i < questionCount; i++)
        {
            questions.Add(ReadQuestion());
        }

        var answers = ReadRecords(answerCount);
        var authorities = ReadRecords(authorityCount);
        var additionals = ReadRecords(additionalCount);

        // Bytes after the last record are ignored, as most implementations do.
        return new DnsMessage
        {
            Id = id,
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (byte)((flags >> 11) & 0x0F),
            IsAuthoritative = (flags & 0x0400) != 0,
            IsTruncated = (flags & 0x0200) != 0,
            RecursionDesired = (flags & 0x0100) != 0,
            RecursionAvailable = (flags & 0x0080) != 0,
            ResponseCode = (byte)(flags & 0x0F),
            Questions = questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
        };
    }

    // RFC 1035 §4.1.2; the top bit of the class is the mDNS "QU" bit (RFC 6762 §5.4).
    private DnsQuestion ReadQuestion()
    {
        var name = ReadName();
        var type = (DnsRecordType)ReadUInt16();
        var classField = ReadUInt16();
        return new DnsQuestion(name, type)
        {
            Class = (DnsClass)(classField & 0x7FFF),
            UnicastResponse = (classField & 0x8000) != 0,
        };
    }

    private List<DnsRecord> ReadRecords(int count)
    {
        var records = new List<DnsRecord>(count);
        for (var i = 0; i < count; i++)
        {
            records.Add(ReadRecord());
        }

        return records;
    }

    // RFC 1035 §4.1.3; the top bit of the class is the mDNS cache-flush bit (RFC 6762 §10.2).
    private DnsRecord ReadRecord()
    {
        var name = ReadName();
        var type = (DnsRecordType)ReadUInt16();
        var classField = ReadUInt16();
        var ttl = ReadUInt32();
        int dataLength = ReadUInt16();
        if (dataLength > _limit - _position)
        {
            throw Error($"the {type} record claims {dataLength} bytes of data, but only {_limit - _position} remain");
        }

        var dataEnd = _position + dataLength;
        _limit = dataEnd;
        var data = ReadRecordData(type, dataLength);
        if (_position != dataEnd)
        {
            throw Error($"the {type} record data is {dataLength} bytes, but its fields end after {dataLength - (dataEnd - _position)}");
        }

        _limit = _packet.Length;
        return new DnsRecord(name, ttl, data)
        {
            Class = (DnsClass)(classField & 0x7FFF),
            CacheFlush = (classField & 0x8000) != 0,
        };
    }

    private DnsRecordData ReadRecordData(DnsRecordType type, int length)
    {
        switch (type)
        {
            case DnsRecordType.A when length == 4:
                return new ARecordData(new IPAddress(ReadBytes(4)));
            case DnsRecordType.Aaaa when length == 16:
                return new AaaaRecordData(new IPAddress(ReadBytes(16)));
            case DnsRecordType.A or DnsRecordType.Aaaa:
                throw Error($"an {type} record must have {(type == DnsRecordType.A ? 4 : 16)} bytes of data, not {length}");
            case DnsRecordType.Ptr:
                return new PtrRecordData(ReadName());
            case DnsRecordType.Srv:
                // RFC 2782: priority, weight, port, target
                return new SrvRecordData(ReadUInt16(), ReadUInt16(), ReadUInt16(), ReadName());
            case DnsRecordType.Txt:
                return ReadTxt(length);
            case DnsRecordType.Nsec:
                return ReadNsec();
            default:
                // Unknown types may not contain compressed names (RFC 3597 §4), so the raw bytes stand alone.
                return new UnknownRecordData(type, ReadBytes(length));
        }
    }

    // RFC 1035 §3.3.14 and RFC 6763 §6: length-prefixed strings filling the record data.
    private DnsRecordData ReadTxt(int length)
    {
        var raw = _packet.Slice(_position, length);
        var strings = new List<string>();
        while (_position < _limit)
        {
            var bytes = ReadBytes(ReadByte());
            if (!Utf8.IsValid(bytes))
            {
                // Binary TXT values are allowed (RFC 6763 §6.5); keep them byte for byte.
                _position = _limit;
                return new UnknownRecordData(DnsRecordType.Txt, raw);
            }

            strings.Add(Encoding.UTF8.GetString(bytes));
        }

        // A single empty string is how an empty TXT record is sent (RFC 6763 §6.1).
        return strings is [] or [""] ? TxtRecordData.Empty : new TxtRecordData(strings);
    }

    // RFC 4034 §4.1: the next domain name, then type bitmaps in windows of 256 types (§4.1.2).
    private NsecRecordData ReadNsec()
    {
        var nextDomainName = ReadName();
        var types = new List<DnsRecordType>();
        var previousWindow = -1;
        while (_position < _limit)
        {
            int window = ReadByte();
            int bitmapLength = ReadByte();
            if (window <= previousWindow)
            {
                throw Error("NSEC type bitmap windows must be in increasing order (RFC 4034 §4.1.2)");
            }

            if (bitmapLength is 0 or > 32)
            {
                throw Error($"an NSEC bitmap is 1 to 32 bytes, not {bitmapLength} (RFC 4034 §4.1.2)");
            }

            var bitmap = ReadBytes(bitmapLength);
            for (var bit = 0; bit < bitmapLength * 8; bit++)
            {
                if ((bitmap[bit / 8] & (0x80 >> (bit % 8))) != 0)
                {
                    types.Add((DnsRecordType)((window << 8) | bit));
                }
            }

            previousWindow = window;
        }

        return new NsecRecordData(nextDomainName, types);
    }

    // Names have their own reader: compression makes them the trickiest part of the format.
    private DnsName ReadName() => DnsNameReader.Read(_packet, ref _position, _limit);

    private byte ReadByte() => ReadBytes(1)[0];

    private ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2));

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count > _limit - _position)
        {
            throw Error($"{count} bytes are needed but only {_limit - _position} remain");
        }

        var bytes = _packet.Slice(_position, count);
        _position += count;
        return bytes;
    }

    private readonly DnsFormatException Error(string problem) =>
        new($"Malformed DNS message at offset {_position}: {problem}.");
}
