namespace FedChat.Core.Identity;

/// <summary>
/// Encrypts private keys before they are stored and decrypts them when a request must be signed.
/// The web app implements it with ASP.NET Core Data Protection, whose key ring lives in the data
/// directory; Core only needs these two methods.
/// </summary>
public interface IKeyProtector
{
    /// <summary>Encrypts <paramref name="plaintext"/> (a PEM private key).</summary>
    string Protect(string plaintext);

    /// <summary>Decrypts what <see cref="Protect"/> returned.</summary>
    string Unprotect(string protectedText);
}
