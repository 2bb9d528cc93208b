namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// Thrown by <see cref="DnsMessage.Parse"/> when a packet is not a well-formed DNS message. It is
/// the only exception parsing can throw: packets come from anyone on the network, so a bad one is
/// an expected event, not a bug.
/// </summary>
public sealed class DnsFormatException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DnsFormatException()
        : base("The packet is not a well-formed DNS message.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the packet, and where.</param>
    public DnsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the packet, and where.</param>
    /// <param name="innerException">The cause.</param>
    public DnsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
