using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Signing;

namespace FedChat.Benchmarks;

/// <summary>
/// What the inbox does for every request before its 202, one piece at a time, on the same kind of
/// input as bench/FedChat.LoadGen: a ~620-byte Create(Note) signed with an RSA-2048 key (draft-cavage
/// or RFC 9421), and the same activity with a P-256 integrity proof (FEP-8b32).
/// </summary>
[MemoryDiagnoser]
public class InboxHotPaths
{
    private const string ActorId = "http://127.0.0.1:5081/users/bob";
    private const string KeyId = ActorId + "#main-key";
    private const string ProofKeyId = ActorId + "#ed-key";
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    private readonly RSA _rsa = KeyPairs.GenerateRsaKeyPair();
    private readonly ECDsa _ecdsa = KeyPairs.GenerateEcdsaKeyPair();
    private readonly HttpSignatureVerifier _verifier = new(TimeProvider.System);
    private PublicKeyInfo _publicKey = null!;
    private string _proofPublicKey = null!;
    private SignableRequest _cavage = null!;
    private SignableRequest _rfc9421 = null!;
    private byte[] _body = [];
    private JsonObject _proven = null!;

    [GlobalSetup]
    public void Setup()
    {
        var activity = NoteActivity();
        _body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        var inbox = new Uri("http://127.0.0.1:5080/inbox");
        var unsigned = new SignableRequest("POST", inbox, [new("Content-Type", ActivityStreamsJson.MediaType)], _body);
        _cavage = DraftCavageSignatures.SignRequest(unsigned, _rsa, KeyId, TimeProvider.System);
        _rfc9421 = MessageSignatures.SignRequest(unsigned, _rsa, KeyId, TimeProvider.System);
        _publicKey = new PublicKeyInfo(KeyId, KeyPairs.ImportPublicKeyPem(KeyPairs.ExportPublicKeyPem(_rsa))) { Owner = ActorId };
        _proofPublicKey = Multikey.EncodeP256PublicKey(_ecdsa);
        _proven = ObjectProofs.CreateProof(NoteActivity(), _ecdsa, ProofKeyId, DateTimeOffset.UtcNow);
    }

    /// <summary>Parse the body once, as InboxProcessor step 1 does.</summary>
    [Benchmark]
    public JsonNode? ParseActivity() => JsonNode.Parse(_body, documentOptions: StrictJson);

    /// <summary>Verify a draft-cavage signature (digest, signing string, RSA-SHA256).</summary>
    [Benchmark]
    public async Task<bool> VerifyCavage() =>
        (await _verifier.VerifyRequestAsync(_cavage, (_, _) => Task.FromResult<PublicKeyInfo?>(_publicKey))).IsValid;

    /// <summary>Verify an RFC 9421 message signature (Content-Digest, signature base, RSA-PSS or PKCS#1).</summary>
    [Benchmark]
    public async Task<bool> VerifyRfc9421() =>
        (await _verifier.VerifyRequestAsync(_rfc9421, (_, _) => Task.FromResult<PublicKeyInfo?>(_publicKey))).IsValid;

    /// <summary>RFC 8785 (JCS) canonical form of the activity, the input of every proof hash.</summary>
    [Benchmark]
    public string CanonicalizeJcs() => JsonCanonicalization.Canonicalize(_proven);

    /// <summary>Verify the FEP-8b32 proof (JCS twice, SHA-256, ECDSA P-256).</summary>
    [Benchmark]
    public async Task<bool> VerifyProof() =>
        (await ObjectProofs.VerifyProofAsync(_proven, (_, _) => Task.FromResult<string?>(_proofPublicKey))).IsValid;

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        _ecdsa.Dispose();
    }

    private static JsonObject NoteActivity() => new()
    {
        ["@context"] = ActivityStreamsJson.Context,
        ["id"] = ActorId + "/posts/1/activity",
        ["type"] = "Create",
        ["actor"] = ActorId,
        ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
        ["object"] = new JsonObject
        {
            ["id"] = ActorId + "/posts/1",
            ["type"] = "Note",
            ["attributedTo"] = ActorId,
            ["content"] = "A post from the benchmark " + new string('x', 200),
            ["published"] = "2026-12-04T23:00:00Z",
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
        },
    };
}
