using System.Collections.Concurrent;
using FedChat.Core.Signing;

namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// Which HTTP signature spec each server accepted, for "double-knocking" (as Fedify does, see
/// https://swicg.github.io/activitypub-http-signature/#how-to-upgrade-supported-versions): sign with
/// RFC 9421 first; when a server refuses that, knock again with draft-cavage, and remember per server
/// what worked, so later deliveries knock once. Kept in memory: after a restart the first delivery to
/// each server knocks twice again, which costs one request.
/// </summary>
public sealed class SignatureSpecMemory
{
    private readonly ConcurrentDictionary<string, string> _accepted = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the spec to try first with a server: the one it accepted before, or RFC 9421.</summary>
    /// <param name="inbox">Any URL on the server.</param>
    /// <returns><see cref="MessageSignatures.SchemeName"/> or <see cref="DraftCavageSignatures.SchemeName"/>.</returns>
    public string FirstKnock(Uri inbox) => _accepted.GetValueOrDefault(Key(inbox), MessageSignatures.SchemeName);

    /// <summary>Gets whether a server's choice is known yet.</summary>
    public bool IsKnown(Uri inbox) => _accepted.ContainsKey(Key(inbox));

    /// <summary>Remembers the spec a server accepted.</summary>
    public void Remember(Uri inbox, string scheme) => _accepted[Key(inbox)] = scheme;

    /// <summary>The other spec: the second knock.</summary>
    public static string Other(string scheme) =>
        scheme == MessageSignatures.SchemeName ? DraftCavageSignatures.SchemeName : MessageSignatures.SchemeName;

    private static string Key(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
