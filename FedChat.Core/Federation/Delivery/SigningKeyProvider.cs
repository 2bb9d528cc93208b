using System.Security.Cryptography;

namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// Finds the RSA key that signs requests for a local actor, with the key id receivers use to fetch
/// the public half (for example <c>http://192.168.1.23:5080/users/alice#main-key</c>). The key store
/// lives elsewhere; the host registers one of these in dependency injection.
/// </summary>
/// <param name="signerUserId">The local user, or <see langword="null"/> for the instance actor.</param>
/// <param name="cancellationToken">Cancels the look-up.</param>
/// <returns>The key id and the private key. The caller does not dispose the key: the store owns it.</returns>
public delegate Task<(string KeyId, RSA Key)> SigningKeyProvider(int? signerUserId, CancellationToken cancellationToken);
