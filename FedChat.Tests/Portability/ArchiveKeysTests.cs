using FedChat.Core.Portability;

namespace FedChat.Tests.Portability;

public class ArchiveKeysTests
{
    private const string Passphrase = "correct horse battery";

    [Theory]
    [InlineData(ArchiveKeys.MaxIterations + 1)]
    [InlineData(10_000_000)]
    public void Decrypt_OfKeysAskingForMoreRoundsThanTheCap_IsRefusedWithoutDerivingAKey(int rounds)
    {
        // An uploaded keys.json chooses its own round count: without a cap it could keep a core busy for long.
        var keys = ArchiveKeys.Encrypt("rsa private key", "ec private key", Passphrase, 100_000);
        keys["kdf"]!["iterations"] = rounds;

        var error = Assert.Throws<AccountArchiveException>(() => ArchiveKeys.Decrypt(keys, Passphrase));

        Assert.Equal($"keys.json asks for {rounds} PBKDF2 rounds; this server accepts 100000 to 2000000.", error.Message);
    }

    [Fact]
    public void Decrypt_WithTheRightPassphrase_GivesAllThreeKeysBack()
    {
        var keys = ArchiveKeys.Encrypt("rsa private key", "ec private key", Passphrase, 100_000, "ed private key");

        Assert.Equal(("rsa private key", "ec private key", (string?)"ed private key"), ArchiveKeys.Decrypt(keys, Passphrase));
    }

    [Fact]
    public void Decrypt_AnArchiveFromBeforeEd25519Keys_GivesNoEd25519Key()
    {
        var keys = ArchiveKeys.Encrypt("rsa private key", "ec private key", Passphrase, 100_000);

        Assert.Equal(("rsa private key", "ec private key", (string?)null), ArchiveKeys.Decrypt(keys, Passphrase));
    }
}
