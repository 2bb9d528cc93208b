namespace FedChat.Core.Portability;

/// <summary>Settings for exporting and importing accounts, read from <c>FedChat:Portability</c>.</summary>
public sealed class PortabilityOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "FedChat:Portability";

    /// <summary>
    /// Gets or sets the largest archive an import accepts, in bytes (the upload, and each file inside
    /// it once unpacked), so one upload cannot fill the server's memory.
    /// <value>The default is 20 MB.</value>
    /// </summary>
    public long MaxArchiveBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// Gets or sets how many PBKDF2-SHA256 rounds turn an export passphrase into the key that encrypts
    /// the private keys. More rounds make guessing passphrases slower, for us and for an attacker.
    /// The count is written into the archive, so changing it never breaks older archives.
    /// <value>The default is 600,000 (OWASP's 2023 advice for PBKDF2-SHA256).</value>
    /// </summary>
    public int KeyDerivationIterations { get; set; } = 600_000;
}
