using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FedChat.Core.Signing;
using FedChat.Tests.Support;
using Xunit.Abstractions;

namespace FedChat.Tests.Signing;

/// <summary>
/// A measurement more than a test: signatures and verifications per second, on one core, for the three
/// kinds of key every FedChat actor has — RSA-2048 (HTTP signatures), P-256 (older proofs) and Ed25519
/// (proofs now). Signs the 64-byte hash a Data Integrity proof signs. Prints the figures and saves them
/// to artifacts/signing-benchmark.txt; asserts only that every signature verified, never how fast.
/// </summary>
public class SigningBenchmark(ITestOutputHelper output)
{
    // Each measurement stops after this many operations or this long, whichever comes first.
    private const int MaxOperations = 20_000;
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(1);

    [Fact]
    public void SignAndVerify_PerSecond_ForRsaP256AndEd25519()
    {
        var message = SHA512.HashData("an activity's proof configuration and document hashes"u8);
        using var rsa = KeyPairs.GenerateRsaKeyPair();
        using var p256 = KeyPairs.GenerateEcdsaKeyPair();
        var ed25519 = Ed25519Keys.GenerateKeyPair();
        var edPublic = Ed25519Keys.PublicKeyOf(ed25519);

        var rows = new (string Name, Func<byte[]> Sign, Func<byte[], bool> Verify)[]
        {
            ("RSA-2048 (PKCS#1 v1.5, SHA-256)", () => rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                s => rsa.VerifyData(message, s, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            ("ECDSA P-256 (SHA-256)", () => p256.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                s => p256.VerifyData(message, s, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            ("Ed25519 (BouncyCastle)", () => Ed25519Keys.Sign(ed25519, message), s => Ed25519Keys.Verify(edPublic, message, s)),
        };

        var report = new StringBuilder("Signing benchmark: operations per second on one core (64-byte message)\n");
        report.AppendLine(CultureInfo.InvariantCulture, $"{"key",-34} {"sign/s",10} {"verify/s",10}");
        foreach (var (name, sign, verify) in rows)
        {
            var signature = sign();
            var (signs, signRate) = Measure(() => sign());
            var (verifies, verifyRate) = Measure(() => Assert.True(verify(signature)));
            Assert.True(signs > 0 && verifies > 0);
            report.AppendLine(CultureInfo.InvariantCulture, $"{name,-34} {signRate,10:N0} {verifyRate,10:N0}");
        }

        output.WriteLine(report.ToString());
        var artifacts = Directory.CreateDirectory(Path.Combine(ChromiumBrowser.RepositoryRoot, "artifacts")).FullName;
        File.WriteAllText(Path.Combine(artifacts, "signing-benchmark.txt"), report.ToString());
    }

    private static (int Count, double PerSecond) Measure(Action operation)
    {
        operation(); // warm up (JIT, key caches)
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (count < MaxOperations && clock.Elapsed < MaxDuration)
        {
            operation();
            count++;
        }
        return (count, count / clock.Elapsed.TotalSeconds);
    }
}
