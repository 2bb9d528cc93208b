using System.Diagnostics.CodeAnalysis;

namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// A DNS message (RFC 1035 §4.1): a header, then questions, answers, authority records and
/// additional records. Multicast DNS (RFC 6762) uses the same format on UDP port 5353.
/// </summary>
/// <remarks>
/// The header's four counts are not stored: they are the lengths of the four lists. The reserved
/// header bits (Z, AD, CD) are not kept; mDNS says to send them as zero and ignore them (RFC 6762 §18).
/// </remarks>
public sealed record DnsMessage
{
    /// <summary>Gets the transaction id. mDNS multicast messages use 0 (RFC 6762 §18.1). <value>The default is 0.</value></summary>
    public ushort Id { get; init; }

    /// <summary>Gets whether this is a response (the QR bit). <value>The default is <see langword="false"/>, a query.</value></summary>
    public bool IsResponse { get; init; }

    /// <summary>Gets the 4-bit operation code; 0 is a standard query, the only one mDNS uses (RFC 6762 §18.3). <value>The default is 0.</value></summary>
    public byte Opcode { get; init; }

    /// <summary>Gets whether the responder is an authority for the answers (the AA bit); mDNS responses always set it (RFC 6762 §18.4).</summary>
    public bool IsAuthoritative { get; init; }

    /// <summary>
    /// Gets whether the message was truncated (the TC bit). In an mDNS query it means "more known
    /// answers follow in the next packet" (RFC 6762 §7.2, §18.5).
    /// </summary>
    public bool IsTruncated { get; init; }

    /// <summary>Gets whether recursion is desired (the RD bit); unused in mDNS.</summary>
    public bool RecursionDesired { get; init; }

    /// <summary>Gets whether recursion is available (the RA bit); unused in mDNS.</summary>
    public bool RecursionAvailable { get; init; }

    /// <summary>Gets the 4-bit response code; 0 means no error. <value>The default is 0.</value></summary>
    public byte ResponseCode { get; init; }

    // The four lists are copied when set, so a message cannot change after it is built.

    /// <summary>Gets the questions.</summary>
    public IReadOnlyList<DnsQuestion> Questions { get; init => field = [.. value]; } = [];

    /// <summary>Gets the answer records.</summary>
    public IReadOnlyList<DnsRecord> Answers { get; init => field = [.. value]; } = [];

    /// <summary>Gets the authority records. mDNS probes put the records they want to claim here (RFC 6762 §8.2).</summary>
    public IReadOnlyList<DnsRecord> Authorities { get; init => field = [.. value]; } = [];

    /// <summary>Gets the additional records, e.g. the SRV, TXT and addresses sent along with a PTR answer (RFC 6763 §12).</summary>
    public IReadOnlyList<DnsRecord> Additionals { get; init => field = [.. value]; } = [];

    /// <summary>
    /// Reads a message from a packet, checking everything: a packet comes from anyone on the LAN.
    /// </summary>
    /// <param name="packet">The UDP payload.</param>
    /// <returns>The message.</returns>
    /// <exception cref="DnsFormatException">The packet is not a well-formed DNS message. No other
    /// exception is thrown.</exception>
    public static DnsMessage Parse(ReadOnlySpan<byte> packet) => new DnsReader(packet).ReadMessage();

    /// <summary>Reads a message from a packet without throwing.</summary>
    /// <param name="packet">The UDP payload.</param>
    /// <param name="message">The message, or <see langword="null"/> when the packet is malformed.</param>
    /// <param name="error">What is wrong with the packet and at which offset, or <see langword="null"/> on success.</param>
    /// <returns>Whether the packet is a well-formed DNS message.</returns>
    public static bool TryParse(
        ReadOnlySpan<byte> packet,
        [NotNullWhen(true)] out DnsMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        try
        {
            message = Parse(packet);
            error = null;
            return true;
        }
        catch (DnsFormatException exception)
        {
            message = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Writes the message in wire format, compressing names (RFC 1035 §4.1.4).</summary>
    /// <returns>The packet bytes.</returns>
    /// <exception cref="ArgumentException">A header field is out of range (<see cref="Opcode"/> or
    /// <see cref="ResponseCode"/> above 15, a class above 0x7FFF, more than 65535 entries in a section).</exception>
    public byte[] ToBytes() => DnsWriter.WriteMessage(this);

    /// <summary>Gets all records of the message: answers, then authorities, then additionals.</summary>
    /// <returns>The records.</returns>
    public IEnumerable<DnsRecord> AllRecords() => Answers.Concat(Authorities).Concat(Additionals);

    /// <inheritdoc/>
    public bool Equals(DnsMessage? other) =>
        other is not null
        && Id == other.Id
        && IsResponse == other.IsResponse
        && Opcode == other.Opcode
        && IsAuthoritative == other.IsAuthoritative
        && IsTruncated == other.IsTruncated
        && RecursionDesired == other.RecursionDesired
        && RecursionAvailable == other.RecursionAvailable
        && ResponseCode == other.ResponseCode
        && Questions.SequenceEqual(other.Questions)
        && Answers.SequenceEqual(other.Answers)
        && Authorities.SequenceEqual(other.Authorities)
        && Additionals.SequenceEqual(other.Additionals);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Id, IsResponse, Questions.Count, Answers.Count, Authorities.Count, Additionals.Count);
}
