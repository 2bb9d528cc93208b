namespace System.Net;

/// <summary>
/// The one member of IPNetwork2 2.x that Makaretu.Dns.Multicast 0.27.0 touches: a static field in
/// <c>MulticastService</c> is set from <see cref="Parse"/> when the class loads, and never read.
/// Nothing here computes networks; it only has to exist with this name and signature.
/// </summary>
public sealed class IPNetwork
{
    private IPNetwork(string text) => Text = text;

    /// <summary>Gets the text this was parsed from, e.g. <c>169.254.0.0/16</c>.</summary>
    public string Text { get; }

    /// <summary>Keeps the text; the package never reads the result.</summary>
    /// <param name="network">A network in CIDR notation.</param>
    /// <returns>An object holding the text.</returns>
    public static IPNetwork Parse(string network) => new(network ?? throw new ArgumentNullException(nameof(network)));

    /// <inheritdoc/>
    public override string ToString() => Text;
}
