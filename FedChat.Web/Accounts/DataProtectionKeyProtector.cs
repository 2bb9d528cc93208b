using FedChat.Core.Identity;
using Microsoft.AspNetCore.DataProtection;

namespace FedChat.Web.Accounts;

/// <summary>
/// Protects actors' private keys with ASP.NET Core Data Protection before they are stored. Its key
/// ring lives in the data directory (<c>keys/</c>), next to the database: a copy of the database alone
/// does not reveal anyone's private keys.
/// </summary>
public sealed class DataProtectionKeyProtector(IDataProtectionProvider provider) : IKeyProtector
{
    // The purpose string isolates these ciphertexts from cookies and antiforgery tokens.
    private readonly IDataProtector _protector = provider.CreateProtector("FedChat.ActorPrivateKeys.v1");

    /// <inheritdoc />
    public string Protect(string plaintext) => _protector.Protect(plaintext);

    /// <inheritdoc />
    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
